// ferry-lines: 3,6
// ferry-here: 20#3
// stack-trace + hosted-git-info: a crash reporter for a queue of repository URLs; each lookup that
// fails throws from a class method, and the reporter keeps the program's own frames (function,
// file, line, column) from the parsed stack, writing them to a log, one job per timer tick.
const stackTrace = require('stack-trace');
const hostedGitInfo = require('hosted-git-info');
const path = require('path');
const fs = require('fs');

class RepoResolver {
  constructor() {
    this.cache = new Map();
  }
  resolve(spec) {
    if (this.cache.has(spec)) return this.cache.get(spec);
    const info = hostedGitInfo.fromUrl(spec);
    if (!info) throw new TypeError(`not a hosted git url: ${spec}`);
    const entry = { type: info.type, project: `${info.user}/${info.project}`, docs: info.docs() };
    this.cache.set(spec, entry);
    return entry;
  }
}

function report(err) {
  const own = stackTrace
    .parse(err)
    .filter((frame) => frame.getFileName() === __filename)
    .map((frame) => `${frame.getFunctionName() ?? '<anonymous>'} ${path.basename(frame.getFileName())}:${frame.getLineNumber()}:${frame.getColumnNumber()}`);
  fs.appendFileSync('crashes.log', `${err.message}\n  ${own.join('\n  ')}\n`);
  return own[0];
}

const resolver = new RepoResolver();
const specs = [
  'github:npm/cli',
  'https://gitlab.com/gitlab-org/gitlab.git',
  'not a url',
  'git@github.com:nodejs/node.git',
  'github:npm/cli',
  'bitbucket:atlassian/python-bitbucket',
  'ftp://example.com/x',
];
const work = specs.slice();
function lookupNext() {
  const spec = work.shift();
  if (spec === undefined) return console.log('cached', resolver.cache.size);
  Promise.resolve(spec)
    .then((s) => resolver.resolve(s))
    .then(
      (entry) => console.log(`${entry.type} ${entry.project} ${entry.docs}`),
      (err) => console.log(`failed at ${report(err)}`),
    )
    .finally(() => setTimeout(lookupNext, 10));
}
lookupNext();
