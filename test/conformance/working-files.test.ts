// Which files go with the program (capture/workfiles.ts): those it holds open, and those changed
// since it started whose whole path it holds (a string of its heap, a literal of its sources); not
// a file another process wrote beside it, nor one whose name is only part of a string it holds
// (`.env` in `process.env`), nor one whose name the program built at run time and kept nowhere
// (that one is named in a warning), nor Ferry's own checkpoints.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchWithInspector } from '../../snapshot/target/launch';
import type { TargetSession } from '../../snapshot/capture/target-session';
import { resumeTarget, writeCheckpoint } from '../../snapshot/checkpoint';
import { namedIn } from '../../snapshot/capture/workfiles';
import { stringLiterals } from '../../snapshot/capture/source-text';
import { encodeStrings } from '../../snapshot/heap/writer';
import { attachBeforeStart, linesPrinted } from '../helpers/oracle';

const PROGRAM = `
const fs = require('fs');
const { pathToFileURL } = require('url');
fs.appendFileSync('app.log', 'started\\n');            // named in its source
const statePath = require('path').join(__dirname, 'state', 'kept.json');
fs.mkdirSync('state', { recursive: true });
fs.writeFileSync(statePath, '{}');                       // named by a variable in its heap
const cacheUrl = pathToFileURL(require('path').join(__dirname, 'cache.json'));
fs.writeFileSync(cacheUrl, '[]');                        // named by a file: URL in its heap
const fd = fs.openSync('held.bin', 'w');                 // held open
fs.writeFileSync(['scr', 'atch.tmp'].join(''), 'x');     // a name built at run time, kept nowhere
const home = process.env.HOME;                           // ".env" only as part of a longer text
const settings = { keyring: 'metadata.json' };           // "key", "metadata" only as parts of names
console.log('ready');
setInterval(() => fs.appendFileSync('app.log', String(fd) + statePath.length + home + settings + cacheUrl + '\\n'), 60_000);
`;

// A program that holds the names of the files its checkpoints are written to.
const NAMES_ITS_CHECKPOINTS = `
const outputs = ['snap.ckpt', 'old.ferry', 'old.ferry.123.tmp', '.ferry/notes.txt'];
console.log('ready');
setInterval(() => console.log(outputs), 60_000);
`;

// Reads files it did not change, by a name beside its script and by a path it keeps; others lie beside it.
const READER = `
const fs = require('fs');
const path = require('path');
const configPath = path.join(process.cwd(), 'conf', 'settings' + '.json');
console.log('ready');
setInterval(() => console.log(fs.readFileSync(path.join(__dirname, 'words.txt'), 'utf8') + fs.readFileSync(configPath, 'utf8')), 60_000);
`;

async function withProgram(
  source: string,
  body: (dir: string, session: TargetSession) => Promise<void>,
  before?: (dir: string) => void,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-workfiles-'));
  const script = join(dir, 'main.js');
  writeFileSync(script, source);
  before?.(dir);
  try {
    const launched = await launchWithInspector({ program: script, cwd: dir, stdio: 'pipe', breakOnStart: true });
    try {
      const ready = linesPrinted(launched.child, 1);
      const session = await attachBeforeStart(launched.webSocketUrl);
      await ready;
      try {
        await body(dir, session);
      } finally {
        await session.cdp.close();
      }
    } finally {
      launched.child.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.ferry`, { force: true });
  }
}

// Sources as programs write them: templates with substitutions (on several lines, with strings
// and blocks inside), comments with quotes, escapes, a URL's slashes inside a string, a regular
// expression with quotes, divisions.
const SOURCE = [
  "const line = `batch ${batch.id}: ${byTag.get('even').size} records ${f(() => { return 'x'; })}`;",
  "fs.appendFileSync('report.txt', `${line}\\n`); // don't 'count' this",
  '/* "nor.this" */ const url = "http://host/a.json"; const esc = \'it\\\'s\';',
  "const multi = `first ${'a'} then",
  "  ${`nested ${'b'}`} last`; const plain = `no.subst`; const kept = 'after.log';",
  "const quoteless = s.replace(/['`\"]/g, ''); const half = total / 2, rest = part_return / 3; const tail = 'tail.json';",
].join('\n');

describe('string literals of a source', () => {
  it('are found whole, past templates with substitutions, with comments skipped', () => {
    assert.deepEqual(stringLiterals(SOURCE), [
      'even',
      'x',
      'report.txt',
      'http://host/a.json',
      'a',
      'b',
      'no.subst',
      'after.log',
      '',
      'tail.json',
    ]);
  });
});

/** A heap section with no records and these strings. */
function heapOf(strings: string[]): Uint8Array {
  return Buffer.concat([Buffer.alloc(12), encodeStrings(strings, (text, encoding) => Buffer.from(text, encoding))]);
}

describe('whole paths in the heap', () => {
  for (const wide of [false, true]) {
    it(`are found among ${wide ? 'two' : 'one'}-byte strings, as paths, relative ones and file: URLs, never as parts`, () => {
      const heap = heapOf([
        '',
        'app.log.bak',
        wide ? 'arrow →' : 'plain',
        '/w/app.log',
        'state/kept.json',
        'file:///w/my%20file.txt',
        'see x/w/other.txt',
        'x'.repeat(5000) + '/w/big.txt',
      ]);
      const named = namedIn(() => ({ heap, sources: [], argv: [] }), '/w');
      const candidates = [
        '/w/app.log',
        '/w/state/kept.json',
        '/w/my file.txt',
        '/w/other.txt',
        '/w/big.txt',
        '/w/app.log.bak.old',
      ];
      assert.deepEqual([...named(candidates, [])].sort(), ['/w/app.log', '/w/my file.txt', '/w/state/kept.json']);
    });
  }

  it('are found for unchanged files (the project around the program) only as absolute paths and URLs under the working directory', () => {
    const heap = heapOf(['/w/conf/app.json', 'file:///w/data/in%20put.csv', 'notes.txt', '/elsewhere/x.txt', 'x.txt']);
    const named = namedIn(() => ({ heap, sources: [], argv: [] }), '/w');
    const unchanged = ['/w/conf/app.json', '/w/data/in put.csv', '/w/notes.txt', '/w/x.txt'];
    assert.deepEqual([...named([], unchanged)].sort(), ['/w/conf/app.json', '/w/data/in put.csv']);
  });
});

describe('absolute paths inside longer strings (format/path-spans.ts)', () => {
  it('are found where they stand for themselves: an option, a list, JSON, a message, a URL', () => {
    const heap = heapOf([
      '--out=/w/run/out.csv',
      '/usr/lib:/w/lib',
      '{"log":"/w/logs/a.log"}',
      'see file:///w/notes%20here.txt for notes',
      'wrote /w/report.txt:12',
      'copied to /backup/w/old.txt',
      '/w2/near.txt',
    ]);
    const named = namedIn(() => ({ heap, sources: [], argv: ['--in=/w/in.csv'] }), '/w');
    const changed = [
      '/w/run/out.csv',
      '/w/lib/x.js',
      '/w/logs/a.log',
      '/w/notes here.txt',
      '/w/report.txt',
      '/w/in.csv',
    ];
    const unnamed = ['/w/old.txt', '/w/near.txt'];
    assert.deepEqual([...named([...changed, ...unnamed], [])].sort(), changed.sort());
  });
});

describe('whole paths of directories', () => {
  it('name the files under them, in the heap and in the sources, but the working directory itself names nothing', () => {
    const heap = heapOf(['/w/out', '/w', '/w/', 'file:///w/cache/']);
    const sources = [{ scriptId: '1', url: 'file:///w/app/main.js', source: "path.join(__dirname, 'pages')" }];
    const named = namedIn(() => ({ heap, sources, argv: [] }), '/w');
    const changed = ['/w/out/a.html', '/w/out/deep/b.html', '/w/cache/x.bin', '/w/log.txt'];
    const unchanged = ['/w/app/pages/one.md', '/w/pages/two.md', '/w/app/readme.md', '/w/readme.md'];
    assert.deepEqual([...named(changed, unchanged)].sort(), [
      '/w/app/pages/one.md',
      '/w/cache/x.bin',
      '/w/out/a.html',
      '/w/out/deep/b.html',
      '/w/pages/two.md',
    ]);
  });
});

describe('whole paths in the sources and arguments', () => {
  it("resolve a literal against the working directory and its source's directory, an argument against the working directory", () => {
    const sources = [
      {
        scriptId: '1',
        url: 'file:///w/lib/store.js',
        source: "fs.writeFileSync(path.join(__dirname, 'store.json'), s); // 'notes.txt'",
      },
    ];
    const named = namedIn(() => ({ heap: heapOf([]), sources, argv: ['--out', 'run/result.csv'] }), '/w');
    const candidates = ['/w/lib/store.json', '/w/store.json', '/w/run/result.csv', '/w/notes.txt', '/w/lib/result.csv'];
    assert.deepEqual([...named([], candidates)].sort(), ['/w/lib/store.json', '/w/run/result.csv', '/w/store.json']);
  });
});

describe('working files carried with a checkpoint', () => {
  it('carries the files the program holds open or holds the whole path of, and reports the others it cannot tell', async () => {
    await withProgram(PROGRAM, async (dir, session) => {
      // Written beside the program after it started: another process's file, a secret, files
      // whose names occur in the program only inside longer strings.
      writeFileSync(join(dir, 'other.txt'), "not the program's");
      writeFileSync(join(dir, '.env'), 'SECRET=1\n');
      for (const name of ['key', 'metadata']) writeFileSync(join(dir, name), 'not named');
      const result = await writeCheckpoint(session, { at: 'idle', output: `${dir}.ferry` });
      const carried = (result.manifest.handles.workingFiles ?? []).map((f) => f.path).sort();
      assert.deepEqual(carried, ['app.log', 'cache.json', 'held.bin', 'state/kept.json']);
      assert.deepEqual(result.workingFiles.map((f) => f.target).sort(), carried);
      const warning = result.manifest.warnings.find((w) => w.startsWith('not carried:'));
      assert.ok(warning, result.manifest.warnings.join('\n'));
      assert.match(warning, /other\.txt/);
      assert.match(warning, /scratch\.tmp/);
      assert.match(warning, /\.env/);
      assert.doesNotMatch(warning, /main\.js/); // its own script is in the checkpoint as code
      assert.equal(readFileSync(join(dir, 'app.log'), 'utf8'), 'started\n');
    });
  });

  it('carries the unchanged files it names as inputs, not the ones beside them it does not name', async () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    const old = (dir: string, name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      utimesSync(join(dir, name), hourAgo, hourAgo);
    };
    await withProgram(
      READER,
      async (dir, session) => {
        const result = await writeCheckpoint(session, { at: 'idle', output: `${dir}.ferry` });
        assert.deepEqual(result.manifest.handles.workingFiles, [
          { path: 'conf/settings.json', bytes: 2, policy: 'input' },
          { path: 'words.txt', bytes: 5, policy: 'input' },
        ]);
        assert.deepEqual(
          result.workingFiles.map((f) => [f.target, f.input]),
          [
            ['conf/settings.json', true],
            ['words.txt', true],
          ],
        );
      },
      (dir) => {
        mkdirSync(join(dir, 'conf'));
        old(dir, 'conf/settings.json', '{}');
        old(dir, 'words.txt', 'hello');
        old(dir, 'unrelated.txt', 'not named');
      },
    );
  });

  it('never carries a checkpoint, even one the program names: checkpoints in a row do not grow', async () => {
    await withProgram(NAMES_ITS_CHECKPOINTS, async (dir, session) => {
      writeFileSync(join(dir, 'old.ferry'), Buffer.alloc(64 << 10, 1));
      writeFileSync(join(dir, 'old.ferry.123.tmp'), Buffer.alloc(64 << 10, 2));
      mkdirSync(join(dir, '.ferry')); // the debugger's checkpoint folder
      writeFileSync(join(dir, '.ferry', 'notes.txt'), Buffer.alloc(64 << 10, 3));
      const results = [];
      for (let k = 0; k < 3; k++) {
        results.push(await writeCheckpoint(session, { at: 'idle', output: join(dir, 'snap.ckpt') }));
        await resumeTarget(session);
      }
      const sizes = results.map((r) => r.bytes);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) < 256, `sizes ${sizes.join(', ')}`);
      for (const result of results) assert.deepEqual(result.manifest.handles.workingFiles ?? [], []);
    });
  });
});
