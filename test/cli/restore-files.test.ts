// Restore never writes into another run's data (restore/working-files.ts): the program's files that
// changed since the checkpoint are refused, named, until `ferry restore --overwrite` puts the
// checkpoint's copies back; a module the program loads after the restore that changed since the
// checkpoint is named in a warning. Driven through the CLI, on real programs stopped at a line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ferry = join(__dirname, '..', '..', 'dist', 'cli.js');
const cli = (args: string[], cwd: string, stdout?: number) =>
  spawnSync(process.execPath, [ferry, ...args], { encoding: 'utf8', cwd, stdio: ['ignore', stdout ?? 'pipe', 'pipe'] });

/** Runs the CLI with its stdout (and so the program's) redirected into `file`, as `> file` does. */
function cliInto(file: string, args: string[], cwd: string) {
  const fd = openSync(file, 'w');
  try {
    return cli(args, cwd, fd);
  } finally {
    closeSync(fd);
  }
}

// Writes six lines into a file of its directory, one outside it, and a log outside it that it
// appends to, and a state file; stopped at its third write (line 7).
const WRITER = `const fs = require('fs');
const log = fs.openSync('out.log', 'w');
const outside = fs.openSync(process.argv[2], 'w');
const shared = fs.openSync(process.argv[3], 'a');
fs.writeFileSync('state.json', '{}');
for (let i = 0; i < 6; i++) {
  fs.writeSync(log, 'line ' + i + '\\n');
  fs.writeSync(outside, 'line ' + i + '\\n');
  fs.writeSync(shared, 'line ' + i + '\\n');
}
console.log('done');
`;

// Loads two modules after the line it is stopped at.
const LOADER = `function main() {
  console.log('before');
  console.log('later says ' + require('./later.js') + ', stable says ' + require('./stable.js'));
}
main();
`;

// Its output goes where its parent sent it.
const PRINTER = `console.log('line 1');
function finish() {
  console.log('line 2');
}
finish();
`;

const LINES = Array.from({ length: 6 }, (_, i) => `line ${i}\n`).join('');
const ANOTHER_RUN = 'another run\n'.repeat(5);

function inTempDirs(body: (dir: string, elsewhere: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-restore-files-'));
  const elsewhere = mkdtempSync(join(tmpdir(), 'ferry-restore-elsewhere-'));
  try {
    body(dir, elsewhere);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  }
}

/** WRITER checkpointed at its third write into c.ferry, with its two files outside `dir` in `elsewhere`. */
function checkpointWriter(dir: string, elsewhere: string): { outside: string; shared: string } {
  writeFileSync(join(dir, 'prog.js'), WRITER);
  const outside = join(elsewhere, 'outside.log');
  const shared = join(elsewhere, 'shared.log');
  const taken = cli(['run', '--checkpoint-at', 'prog.js:7#3', '-o', 'c.ferry', '--', 'prog.js', outside, shared], dir);
  assert.equal(taken.status, 0, taken.stderr);
  return { outside, shared };
}

describe('ferry restore and the files on disk', () => {
  it("refuses files changed since the checkpoint, naming them, and --overwrite puts the checkpoint's copies back", () => {
    inTempDirs((dir, elsewhere) => {
      const { outside, shared } = checkpointWriter(dir, elsewhere);
      assert.deepEqual(
        JSON.parse(cli(['inspect', 'c.ferry', '--json'], dir).stdout).handles.workingFiles.map(
          (f: { path: string }) => f.path,
        ),
        ['out.log', 'state.json'],
      );
      assert.match(
        cli(['inspect', 'c.ferry'], dir).stdout,
        /^carried {6}out\.log \(14 B\)\n {13}state\.json \(2 B\)$/m,
        'each carried file on a line',
      );
      // Another run of the program writes its files after the checkpoint.
      writeFileSync(join(dir, 'out.log'), ANOTHER_RUN);
      writeFileSync(outside, ANOTHER_RUN);
      appendFileSync(shared, 'another run\n'); // appended to, as a shared log is: no offset to write over

      const refused = cli(['restore', 'c.ferry'], dir);
      assert.notEqual(refused.status, 0);
      assert.equal(refused.stdout, '', 'no program code ran');
      assert.match(refused.stderr, /changed since the checkpoint/);
      assert.ok(refused.stderr.includes(`${join(dir, 'out.log')} (14 bytes then, 60 now)`), refused.stderr);
      assert.ok(refused.stderr.includes(`${outside} (14 bytes then, 60 now)`), refused.stderr);
      assert.ok(!refused.stderr.includes(shared), refused.stderr);
      assert.match(refused.stderr, /--overwrite/);
      assert.equal(readFileSync(join(dir, 'out.log'), 'utf8'), ANOTHER_RUN, 'nothing written');
      assert.equal(readFileSync(outside, 'utf8'), ANOTHER_RUN, 'nothing written');

      const overwritten = cli(['restore', 'c.ferry', '--overwrite'], dir);
      assert.equal(overwritten.status, 0, overwritten.stderr);
      assert.equal(overwritten.stdout, 'done\n');
      assert.equal(
        readFileSync(join(dir, 'out.log'), 'utf8'),
        LINES,
        "the checkpoint's copy, then the rest of the run",
      );
      // Not carried (outside the directory): written over from its saved offset, with a warning.
      assert.ok(overwritten.stderr.includes(`warning: ${outside} changed since the checkpoint`), overwritten.stderr);
      assert.equal(
        readFileSync(outside, 'utf8'),
        ANOTHER_RUN.slice(0, 14) + LINES.slice(14) + ANOTHER_RUN.slice(LINES.length),
      );
      assert.equal(readFileSync(shared, 'utf8'), LINES.slice(0, 14) + 'another run\n' + LINES.slice(14));
    });
  });

  it('restores without a word where the files are as the checkpoint left them', () => {
    inTempDirs((dir, elsewhere) => {
      writeFileSync(join(dir, 'prog.js'), WRITER);
      const outside = join(elsewhere, 'outside.log');
      const shared = join(elsewhere, 'shared.log');
      assert.equal(
        cli(['run', '--checkpoint-at', 'prog.js:7#3', '-o', 'c.ferry', '--', 'prog.js', outside, shared], dir).status,
        0,
      );
      const restored = cli(['restore', 'c.ferry'], dir);
      assert.equal(restored.status, 0, restored.stderr);
      assert.equal(restored.stderr, '');
      assert.equal(readFileSync(join(dir, 'out.log'), 'utf8'), LINES);
      assert.equal(readFileSync(outside, 'utf8'), LINES);
      assert.equal(readFileSync(shared, 'utf8'), LINES);
    });
  });

  it('--cwd runs it in another directory: the files it holds there, its own directory left as it was', () => {
    inTempDirs((dir, elsewhere) => {
      const { outside } = checkpointWriter(dir, elsewhere);
      const moved = join(elsewhere, 'moved');
      const restored = cli(['restore', 'c.ferry', '--cwd', moved], dir);
      assert.equal(restored.status, 0, restored.stderr);
      assert.equal(restored.stdout, 'done\n');
      assert.equal(readFileSync(join(moved, 'out.log'), 'utf8'), LINES, 'carried there, then written on there');
      assert.equal(readFileSync(join(moved, 'state.json'), 'utf8'), '{}');
      assert.equal(readFileSync(join(dir, 'out.log'), 'utf8'), LINES.slice(0, 14), 'its own directory as it was');
      assert.equal(readFileSync(outside, 'utf8'), LINES, 'a file outside its directory is where it was');
    });
  });

  it('--cwd names the places where the code names its old directory, which stay as written', () => {
    inTempDirs((dir, elsewhere) => {
      // A path written in the code, run again after the move: the code is not rewritten, and the restore says so.
      writeFileSync(
        join(dir, 'prog.js'),
        `function where() {\n  return '${dir}/fixed.txt';\n}\nconsole.log('start');\nconsole.log(where().startsWith(process.cwd()) ? 'here' : 'as written');\n`,
      );
      const taken = cli(['run', '--checkpoint-at', 'prog.js:5', '-o', 'c.ferry', '--', 'prog.js'], dir);
      assert.equal(taken.status, 0, taken.stderr);
      const moved = join(elsewhere, 'moved');
      const restored = cli(['restore', 'c.ferry', '--cwd', moved], dir);
      assert.equal(restored.status, 0, restored.stderr);
      assert.equal(restored.stdout, 'as written\n');
      assert.ok(
        restored.stderr.includes(
          `ferry: warning: the program's code names ${dir} (${dir}/prog.js:2): paths written in code are not rewritten, so there it still names ${dir}, not ${moved}\n`,
        ),
        restored.stderr,
      );
      assert.doesNotMatch(cli(['restore', 'c.ferry', '--overwrite'], dir).stderr, /code names/, 'said only with --cwd');
    });
  });

  it("leaves the file the program's output was redirected into to the shell (node prog.js > out.txt)", () => {
    inTempDirs((dir) => {
      writeFileSync(join(dir, 'prog.js'), PRINTER);
      const out = join(dir, 'out.txt');
      const taken = cliInto(out, ['run', '--checkpoint-at', 'prog.js:3', '-o', 'c.ferry', '--', 'prog.js'], dir);
      assert.equal(taken.status, 0, taken.stderr);
      assert.equal(readFileSync(out, 'utf8'), 'line 1\n');
      assert.equal(
        JSON.parse(cli(['inspect', 'c.ferry', '--json'], dir).stdout).handles.workingFiles,
        undefined,
        'not carried',
      );
      const restored = cliInto(out, ['restore', 'c.ferry'], dir); // `>` empties it first
      assert.equal(restored.status, 0, restored.stderr);
      assert.equal(readFileSync(out, 'utf8'), 'line 2\n');
    });
  });

  it('names a module changed between checkpoint and restore when the program loads it', () => {
    inTempDirs((dir) => {
      writeFileSync(join(dir, 'prog.js'), LOADER);
      // The project's files were there long before the run.
      const hourAgo = new Date(Date.now() - 3_600_000);
      for (const [name, text] of [
        ['later.js', "module.exports = 'v1';\n"],
        ['stable.js', "module.exports = 'same';\n"],
      ]) {
        writeFileSync(join(dir, name), text);
        utimesSync(join(dir, name), hourAgo, hourAgo);
      }
      const taken = cli(['run', '--checkpoint-at', 'prog.js:2', '-o', 'c.ferry', '--', 'prog.js'], dir);
      assert.equal(taken.status, 0, taken.stderr);
      writeFileSync(join(dir, 'later.js'), "module.exports = 'v2';\n"); // edited meanwhile

      const restored = cli(['restore', 'c.ferry'], dir);
      assert.equal(restored.status, 0, restored.stderr);
      assert.equal(restored.stdout, 'before\nlater says v2, stable says same\n');
      assert.match(
        restored.stderr,
        /warning: .*\/later\.js changed since the checkpoint .*: the program loads it as it is now/,
      );
      assert.doesNotMatch(restored.stderr, /stable\.js/);
    });
  });
});
