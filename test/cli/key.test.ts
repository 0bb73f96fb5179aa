// The signing key (FERRY_KEY, --key-file) never leaks: not into a program Ferry starts, not into a
// checkpoint, not into a restored program, not onto a command line; it is read once (a FIFO works);
// a short key is refused; an unsigned file says so.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, inspectorUrl, nextPid, withDir } from '../helpers/cli-runs';
import { aloneOnPort9229 } from '../remote/env';

const ferry = join(__dirname, '..', '..', 'dist', 'cli.js');
const KEY = 'ferry-key-test-3b8e51d07c2a49f6';
const withKey = { ...process.env, FERRY_KEY: KEY };
const withoutKey = (() => {
  const env = { ...process.env };
  delete env.FERRY_KEY;
  return env;
})();

const cli = (args: string[], cwd: string, env: NodeJS.ProcessEnv = withoutKey) =>
  spawnSync(process.execPath, [ferry, ...args], { encoding: 'utf8', cwd, env });
const cliAsync = (args: string[], cwd: string, env: NodeJS.ProcessEnv) =>
  spawn(process.execPath, [ferry, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
/** Through bash, for `<(cat key)`: a pipe that can be read once. */
const cliInBash = (args: string, cwd: string) =>
  spawnSync('bash', ['-c', `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(ferry)} ${args}`], {
    encoding: 'utf8',
    cwd,
    env: withoutKey,
  });

// Ticks until it has ticked `afterRestore` times in a restored process (ferry:restore), then ends with 3.
const ticker = (afterRestore: number) => `
let n = 0, since = 0, restored = false;
process.on('ferry:restore', () => { restored = true; });
const t = setInterval(() => {
  console.log('tick ' + ++n + ' pid ' + process.pid);
  if (restored && ++since === ${afterRestore}) { clearInterval(t); process.exitCode = 3; }
}, 20);
`;

function assertNoKeyIn(what: string, bytes: Buffer): void {
  assert.equal(bytes.indexOf(KEY), -1, `${what} holds the key`);
}

/** The ticker started plainly in `dir` (`checkpoint --pid` opens its inspector), and its pid. */
async function startTicker(
  dir: string,
  started: <P extends ChildProcess>(process: P) => P,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ program: ChildProcess; pid: number }> {
  writeFileSync(join(dir, 'prog.js'), ticker(Number.MAX_SAFE_INTEGER));
  const program = started(spawn(process.execPath, ['prog.js'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'ignore'] }));
  return { program, pid: await nextPid(program) };
}

describe('the signing key', () => {
  it('never reaches a program, a checkpoint or a restored program: run, checkpoint, restore, checkpoint again', () =>
    aloneOnPort9229(
      withDir(async (dir, started) => {
        writeFileSync(join(dir, 'prog.js'), ticker(Number.MAX_SAFE_INTEGER));
        const run = started(cliAsync(['run', '--', 'prog.js'], dir, withKey));
        const [url, runPid] = await Promise.all([inspectorUrl(run), nextPid(run)]);
        assertNoKeyIn('the environment of the program ferry run started', readFileSync(`/proc/${runPid}/environ`));
        const first = cli(['checkpoint', '--inspect', url, '-o', 'one.ferry', '--then', 'stop'], dir, withKey);
        assert.equal(first.status, 0, first.stderr);
        await exited(run);

        const restoring = started(cliAsync(['restore', 'one.ferry'], dir, withKey));
        const restoredPid = await nextPid(restoring);
        started(restoredPid); // a child of the restoring ferry: ending that one would leave it running
        assertNoKeyIn("the restored program's environment", readFileSync(`/proc/${restoredPid}/environ`));
        assertNoKeyIn("the restored program's command line", readFileSync(`/proc/${restoredPid}/cmdline`));
        const second = cli(
          ['checkpoint', '--pid', String(restoredPid), '-o', 'two.ferry', '--then', 'stop'],
          dir,
          withKey,
        );
        assert.equal(second.status, 0, second.stderr);
        await exited(restoring);

        for (const name of ['one.ferry', 'two.ferry']) {
          assertNoKeyIn(name, readFileSync(join(dir, name)));
          assert.match(cli(['verify', name], dir, withKey).stdout, /signed, signature valid/);
        }
      }),
    ));

  it('is left out of the recorded env even when someone else started the program with it', () =>
    aloneOnPort9229(
      withDir(async (dir, started) => {
        const { program, pid } = await startTicker(dir, started, {
          ...process.env,
          FERRY_KEY: KEY,
          FERRY_DEBUG: '1',
          FERRY_SAMPLE: 'kept',
        });
        const taken = cli(['checkpoint', '--pid', String(pid), '-o', 'c.ferry', '--then', 'stop'], dir);
        assert.equal(taken.status, 0, taken.stderr);
        await exited(program);
        assertNoKeyIn('the checkpoint', readFileSync(join(dir, 'c.ferry')));
        const env = JSON.parse(cli(['inspect', 'c.ferry', '--json'], dir).stdout).process.env;
        assert.equal(env.FERRY_KEY, undefined);
        assert.equal(env.FERRY_DEBUG, undefined);
        assert.equal(env.FERRY_SAMPLE, 'kept', "the program's own FERRY_ variables travel");
      }),
    ));

  it(
    'run --checkpoint-at with FERRY_KEY signs without writing the key',
    withDir((dir) => {
      writeFileSync(
        join(dir, 'prog.js'),
        'let total = 0;\nfor (let i = 0; i < 3; i++) {\n  total += i;\n}\nconsole.log(total);\n',
      );
      const run = cli(
        ['run', '--checkpoint-at', 'prog.js:3#2', '-o', 'here.ferry', '--then', 'stop', '--', 'prog.js'],
        dir,
        withKey,
      );
      assert.equal(run.status, 0, run.stderr);
      assertNoKeyIn('the checkpoint', readFileSync(join(dir, 'here.ferry')));
      assert.match(cli(['verify', 'here.ferry'], dir, withKey).stdout, /signed, signature valid/);
    }),
  );

  it('is read once: --key-file <(cat key) works for verify, inspect and restore', () =>
    aloneOnPort9229(
      withDir(async (dir, started) => {
        writeFileSync(join(dir, 'prog.js'), ticker(3));
        writeFileSync(join(dir, 'key'), `${KEY}\n`);
        const program = started(
          spawn(process.execPath, ['prog.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }),
        );
        const pid = await nextPid(program);
        const taken = cli(
          ['checkpoint', '--pid', String(pid), '-o', 'c.ferry', '--then', 'stop', '--key-file', 'key'],
          dir,
        );
        assert.equal(taken.status, 0, taken.stderr);
        await exited(program);

        const restored = cliInBash('restore c.ferry --key-file <(cat key)', dir);
        assert.equal(restored.status, 3, restored.stderr);
        assert.equal(restored.stdout.split('\n').filter(Boolean).length, 3, restored.stdout);
        const verified = cliInBash('verify c.ferry --key-file <(cat key)', dir);
        assert.equal(verified.status, 0, verified.stderr);
        assert.match(verified.stdout, /signed, signature valid/);
        const inspected = cliInBash('inspect c.ferry --json --key-file <(cat key)', dir);
        assert.equal(inspected.status, 0, inspected.stderr);
        assert.equal(JSON.parse(inspected.stdout).signed, true);
        // The file's trailing newline is not part of the key: FERRY_KEY="$(cat key)" is the same key.
        assert.equal(cli(['verify', 'c.ferry'], dir, withKey).status, 0);
      }),
    ));

  it('refuses an empty or short key, at signing and at verifying, before touching the program', () =>
    aloneOnPort9229(
      withDir(async (dir, started) => {
        const { pid } = await startTicker(dir, started);
        writeFileSync(join(dir, 'empty'), '');
        writeFileSync(join(dir, 'short'), 'fifteen bytes!!\n');
        for (const [args, env, message] of [
          [['--key-file', 'empty'], withoutKey, /^ferry: the key in empty is 0 bytes: a signing key needs at least 16/],
          [
            ['--key-file', 'short'],
            withoutKey,
            /^ferry: the key in short is 15 bytes: a signing key needs at least 16/,
          ],
          [[], { ...withoutKey, FERRY_KEY: '' }, /^ferry: FERRY_KEY is set but empty/],
          [[], { ...withoutKey, FERRY_KEY: 'short' }, /^ferry: FERRY_KEY is 5 bytes: a signing key needs at least 16/],
        ] as const) {
          const refused = cli(['checkpoint', '--pid', String(pid), '-o', 'c.ferry', ...args], dir, env);
          assert.equal(refused.status, 1, refused.stderr);
          assert.match(refused.stderr, message);
          assert.equal(
            spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.includes('c.ferry'),
            false,
            'nothing written',
          );
        }
        const taken = cli(['checkpoint', '--pid', String(pid), '-o', 'c.ferry', '--then', 'stop'], dir, withKey);
        assert.equal(taken.status, 0, taken.stderr);
        const refused = cli(['verify', 'c.ferry', '--key-file', 'short'], dir);
        assert.equal(refused.status, 1);
        assert.match(refused.stderr, /^ferry: the key in short is 15 bytes/);
      }),
    ));

  it('verify says plainly that an unsigned checkpoint is unsigned', () =>
    aloneOnPort9229(
      withDir(async (dir, started) => {
        const { program, pid } = await startTicker(dir, started);
        const taken = cli(['checkpoint', '--pid', String(pid), '-o', 'c.ferry', '--then', 'stop'], dir);
        assert.equal(taken.status, 0, taken.stderr);
        await exited(program);
        const verified = cli(['verify', 'c.ferry'], dir);
        assert.equal(verified.status, 0, verified.stderr);
        assert.match(verified.stdout, /^ok: c\.ferry is intact \(\d+ sections verified; unsigned/);
      }),
    ));
});
