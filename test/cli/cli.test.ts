// The `ferry` CLI contract (README: The `ferry` CLI), driven as a script would: real processes, real files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linesPrinted } from '../helpers/oracle';
import { aloneOnPort9229 } from '../remote/env';

const ferry = join(__dirname, '..', '..', 'dist', 'cli.js');
const cli = (args: string[], cwd?: string) => spawnSync(process.execPath, [ferry, ...args], { encoding: 'utf8', cwd });

function startProgram(dir: string, source: string) {
  writeFileSync(join(dir, 'prog.js'), source);
  return spawn(process.execPath, ['prog.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

const COUNTER = `
let n = 0;
const t = setInterval(() => {
  console.log('tick ' + ++n);
  if (n === 30) { clearInterval(t); process.exitCode = 3; }
}, 80);
`;

/** Compares process.ppid (read once at the start) with the parent the kernel names, at its third tick. */
const PARENT_CHECK = `const fs = require('fs');
const realParent = () => Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[1]);
const parentAtStart = process.ppid;
let ticks = 0;
const timer = setInterval(() => {
  ticks++;
  if (ticks < 3) return;
  clearInterval(timer);
  console.log('ppid is the parent: ' + (process.ppid === realParent()) + (parentAtStart > 0 ? '' : '?'));
}, 20);
`;

/** Reads a file in ten chunks, then ends. */
const READ_TO_END = `const fs = require('fs');
let chunks = 0;
fs.createReadStream(__dirname + '/data.txt', { highWaterMark: 4096 })
  .on('data', () => {
    chunks++;
  })
  .on('end', () => console.log('read ' + chunks + ' chunks'));
`;

// A loop whose step() is paused mid-stack by --checkpoint-at prog.js:4.
const LOOP = `let total = 0;
function step(i) {
  total += i;
  console.log('step ' + i);
}
for (let i = 0; i < 5; i++) {
  step(i);
}
console.log('total ' + total);
process.exitCode = 4;
`;

describe('ferry CLI', () => {
  it('checkpoint --pid a plain process, --then stop, restore exits with the program exit code', () =>
    aloneOnPort9229(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
      try {
        const program = startProgram(dir, COUNTER);
        let before = '';
        program.stdout.on('data', (d) => (before += d));
        await linesPrinted(program, 3);
        const out = join(dir, 'c.ferry');
        const taken = cli(['checkpoint', '--pid', String(program.pid), '-o', out, '--then', 'stop']);
        assert.equal(taken.status, 0, taken.stderr);
        assert.match(taken.stdout, /checkpoint written: .*c\.ferry/);
        await new Promise((resolve) => program.on('close', resolve));
        assert.equal(program.signalCode, 'SIGKILL', 'the origin is ended by --then stop');
        assert.equal(statSync(out).mode & 0o777, 0o600);

        assert.equal(cli(['verify', out]).status, 0);
        const info = JSON.parse(cli(['inspect', out, '--json']).stdout);
        assert.equal(info.kind, 'idle');
        assert.equal(info.handles.timers.count, 1);
        assert.equal(info.program.main, join(dir, 'prog.js'));
        // Where the time went: each phase before and during the stop, in the manifest and shown by inspect.
        assert.equal(typeof info.timings.beforeStop.attach, 'number', JSON.stringify(info.timings));
        assert.equal(typeof info.timings.stopped.walk, 'number', JSON.stringify(info.timings));
        assert.match(
          cli(['inspect', out]).stdout,
          /\nstopped {6}[\d.]+ ms: idle checks [\d.]+, .*walk [\d.]+, .*\nbefore stop {2}[\d.]+ ms: ferry start [\d.]+, attach [\d.]+/,
        );

        rmSync(join(dir, 'prog.js'));
        const restored = cli(['restore', out], dir);
        assert.equal(restored.status, 3, restored.stderr);
        const last = Number(/tick (\d+)\n$/.exec(before)![1]);
        const expected = Array.from({ length: 30 - last }, (_, i) => `tick ${last + i + 1}\n`).join('');
        assert.equal(restored.stdout, expected);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('checkpoint --then continue leaves the origin running', () =>
    aloneOnPort9229(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
      const program = startProgram(dir, COUNTER.replace('n === 30', 'n === 1000'));
      try {
        await linesPrinted(program, 2);
        const taken = cli(['checkpoint', '--pid', String(program.pid), '-o', join(dir, 'c.ferry'), '--redact-env']);
        assert.equal(taken.status, 0, taken.stderr);
        await linesPrinted(program, 2); // it goes on printing
        const info = JSON.parse(cli(['inspect', join(dir, 'c.ferry'), '--json']).stdout);
        assert.deepEqual(info.process.env, {}, '--redact-env leaves the environment out');
        // Checking that each function can be made again reads nothing of the program: done once it goes on.
        assert.equal(info.timings.stopped['function texts'], undefined, JSON.stringify(info.timings));
        assert.match(cli(['inspect', join(dir, 'c.ferry')]).stdout, /\nafter resume [\d.]+ ms: function texts [\d.]+/);
      } finally {
        program.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('a function refused once the program went on: nothing written, and --then stop leaves it running', () =>
    aloneOnPort9229(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
      // A text only V8 under --allow-natives-syntax reads: not one Ferry can make into a function again.
      const source = `globalThis.interpreted = () => %IsBeingInterpreted();\n${COUNTER.replace('n === 30', 'n === 60')}`;
      writeFileSync(join(dir, 'prog.js'), source);
      const program = spawn(process.execPath, ['--allow-natives-syntax', 'prog.js'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let printed = '';
      program.stdout.on('data', (d) => (printed += d));
      try {
        await linesPrinted(program, 2);
        for (const then of ['continue', 'stop']) {
          const out = join(dir, `${then}.ferry`);
          const taken = cli(['checkpoint', '--pid', String(program.pid), '-o', out, '--then', then]);
          assert.equal(taken.status, 1, taken.stdout);
          assert.match(taken.stderr, /prog\.js:1:\d+: its text cannot be made into a function again/);
          assert.equal(existsSync(out), false, `--then ${then}: nothing is written`);
        }
        const [code, signal] = await new Promise<unknown[]>((resolve) => program.on('close', (...end) => resolve(end)));
        assert.deepEqual([code, signal], [3, null], 'the program ran to its end');
        const ticks = Array.from({ length: 60 }, (_, i) => `tick ${i + 1}\n`).join('');
        assert.equal(printed, ticks, 'every tick, in order');
      } finally {
        program.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('checkpoint --pid of a program with its own HTTP server never asks it, and leaves no connection open', () =>
    aloneOnPort9229(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
      // Finding the inspector asks only the ports an inspector can be on (9229, --inspect flags), never
      // this server's: a request would be one the program did not expect, a kept-alive one would hold the checkpoint up.
      const program = startProgram(
        dir,
        `
      const server = require('http').createServer((req, res) => { console.log('request connection=' + req.headers.connection); res.end('{}'); }).listen(0, '127.0.0.1');
      let n = 0;
      const t = setInterval(() => server.getConnections((e, count) => console.log('tick ' + ++n + ' connections ' + count)), 100);
      setTimeout(() => { clearInterval(t); server.close(); }, 20000);
    `,
      );
      try {
        await linesPrinted(program, 2);
        const taken = cli(['checkpoint', '--pid', String(program.pid), '-o', join(dir, 'c.ferry')]);
        assert.equal(taken.status, 0, taken.stderr);
        let seen = '';
        program.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
        await linesPrinted(program, 3);
        assert.match(seen, /connections 0\n/);
        assert.doesNotMatch(seen, /connections [1-9]/);
        const requests = seen.match(/request connection=\S+/g) ?? [];
        assert.deepEqual(requests, [], 'only the inspector port is asked');
      } finally {
        program.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('refuses a corrupted checkpoint before any program code runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
    try {
      const path = join(dir, 'bad.ferry');
      writeFileSync(path, Buffer.concat([Buffer.from('FERRYCK\n'), Buffer.alloc(100, 7)]));
      const restored = cli(['restore', path]);
      assert.equal(restored.status, 3);
      assert.equal(restored.stdout, '');
      assert.match(restored.stderr, /ferry: checkpoint format version \d+ is not supported|corrupted|truncated/);
      assert.match(cli(['verify', join(dir, 'missing.ferry')]).stderr, /cannot read checkpoint/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never signals a process that is not Node (SIGUSR1 would end it)', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => sleeper.once('spawn', resolve));
      const result = cli(['checkpoint', '--pid', String(sleeper.pid), '-o', join(tmpdir(), 'never.ferry')]);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /process \d+ runs .*sleep, not Node\.js: Ferry does not signal it/);
      await new Promise((resolve) => setTimeout(resolve, 300)); // time for an exit to be seen, had there been one
      assert.equal(sleeper.exitCode, null);
      assert.equal(sleeper.signalCode, null, 'the process was not signalled');
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('says clearly when the target does not exist or is stuck in synchronous code', () =>
    aloneOnPort9229(async () => {
      assert.match(cli(['checkpoint', '--pid', '999999']).stderr, /no process with pid 999999/);
      const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
      const program = startProgram(
        dir,
        `console.log('spinning'); setTimeout(() => { const end = Date.now() + 60000; while (Date.now() < end) {} }, 10);`,
      );
      try {
        await linesPrinted(program, 1);
        await new Promise((r) => setTimeout(r, 100));
        const started = Date.now();
        const result = cli([
          'checkpoint',
          '--pid',
          String(program.pid),
          '-o',
          join(dir, 'x.ferry'),
          '--idle-timeout',
          '1500',
        ]);
        assert.equal(result.status, 1);
        assert.match(
          result.stderr,
          /did not reach an idle point within 1500 ms: it is busy in synchronous code in .*prog\.js:1/,
        );
        assert.ok(Date.now() - started < 15000);
        assert.equal(program.exitCode, null, 'the program was left running');
      } finally {
        program.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('explains usage errors', () => {
    const result = cli(['checkpoint', '--at', 'sometime', '--pid', '1']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--at takes idle or here/);
    assert.match(cli(['frobnicate']).stderr, /unknown command "frobnicate"/);
  });

  it('run --checkpoint-at FILE:LINE#HIT checkpoints there; inspect lists the stack; restore goes on from that line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
    try {
      writeFileSync(join(dir, 'prog.js'), LOOP);
      const run = cli(['run', '--checkpoint-at', 'prog.js:4#3', '-o', 'here.ferry', '--', 'prog.js'], dir);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, 'step 0\nstep 1\n');
      assert.match(run.stderr, /checkpoint written: .*here\.ferry .*2 frames, at .*prog\.js:4 \(hit 3\)/);
      assert.equal(statSync(join(dir, 'here.ferry')).mode & 0o777, 0o600);
      const inspect = cli(['inspect', 'here.ferry'], dir).stdout;
      assert.match(inspect, /kind {9}here/);
      assert.match(inspect, /\nbefore stop {2}0 ms: \(stopped already\)\n/);
      assert.match(
        inspect,
        /stack {8}#0 step file:\/\/.*prog\.js:4:\d+\n {13}#1 \(anonymous\) file:\/\/.*prog\.js:7:\d+/,
      );
      rmSync(join(dir, 'prog.js'));
      const restored = cli(['restore', 'here.ferry'], dir);
      assert.equal(restored.stdout, 'step 2\nstep 3\nstep 4\ntotal 10\n');
      assert.equal(restored.status, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run --checkpoint-at says so when the program ends before reaching the line, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
    try {
      writeFileSync(join(dir, 'prog.js'), LOOP);
      const run = cli(['run', '--checkpoint-at', 'prog.js:4#9', '-o', 'here.ferry', '--', 'prog.js'], dir);
      assert.equal(run.status, 4); // the program's own exit code
      assert.match(
        run.stderr,
        /the program ended \(exit code 4\) before it reached .*prog\.js:4 \(hit 9\): no checkpoint was written/,
      );
      assert.throws(() => statSync(join(dir, 'here.ferry')));
      assert.match(
        cli(['run', '--checkpoint-at', 'prog.js', '--', 'prog.js'], dir).stderr,
        /--checkpoint-at takes FILE:LINE or FILE:LINE#HIT/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a restored program sees its own parent as process.ppid, not the one it had before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
    try {
      writeFileSync(join(dir, 'prog.js'), PARENT_CHECK);
      const run = cli(['run', '--checkpoint-at', 'prog.js:7#2', '-o', 'here.ferry', '--', 'prog.js'], dir);
      assert.equal(run.status, 0, run.stderr); // checkpointed, then stopped
      const restored = cli(['restore', 'here.ferry'], dir);
      assert.equal(restored.stdout, 'ppid is the parent: true\n', restored.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run --checkpoint-at: a program that runs to its end while stepped on to an idle point is said to have ended', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
    try {
      // Paused in a read stream's 'data' listener (Node's code goes on after it: stepped on to the
      // next idle point), where the stream still reads: Ferry waits it out, and the program ends.
      writeFileSync(join(dir, 'data.txt'), 'x'.repeat(40_000));
      writeFileSync(join(dir, 'prog.js'), READ_TO_END);
      const run = cli(['run', '--checkpoint-at', 'prog.js:5#3', '-o', 'here.ferry', '--', 'prog.js'], dir);
      assert.match(run.stdout, /read 10 chunks/);
      assert.match(run.stderr, /the program ended while it was being checkpointed: nothing was written/);
      assert.doesNotMatch(run.stderr, /went away/);
      assert.throws(() => statSync(join(dir, 'here.ferry')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run --checkpoint-at refused: the refusal is printed, the program goes on to its end, nothing is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
    try {
      // A crypto Hash cannot travel: the Checkpoint Here at line 4 is refused (--exact: not stepped on
      // to the nearest point that can be taken, here the program's end, once its frames let go of it).
      writeFileSync(join(dir, 'prog.js'), `const hasher = require('crypto').createHash('sha256');\n${LOOP}`);
      const run = cli(['run', '--checkpoint-at', 'prog.js:4#2', '--exact', '-o', 'here.ferry', '--', 'prog.js'], dir);
      assert.match(run.stderr, /ferry: cannot checkpoint this program:\n {2}- .*hasher: a crypto Hash/);
      assert.equal(run.stdout, 'step 0\nstep 1\nstep 2\nstep 3\nstep 4\ntotal 10\n');
      assert.equal(run.status, 4); // the program's own exit code
      assert.throws(() => statSync(join(dir, 'here.ferry')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('inspect --json writes all of a large manifest through a pipe (1,000 frames)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
    try {
      const deep = join(__dirname, '..', 'resume', 'corpus', 'recursion-deep.js');
      const run = cli(['run', '--checkpoint-at', `${deep}:5`, '-o', 'deep.ferry', '--', deep], dir);
      assert.equal(run.status, 0, run.stderr);
      const inspect = cli(['inspect', 'deep.ferry', '--json'], dir);
      assert.ok(
        inspect.stdout.length > 65536,
        `${inspect.stdout.length} bytes: more than a pipe buffer, or the test proves nothing`,
      );
      assert.equal(JSON.parse(inspect.stdout).stack.frames.length, 1002);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
