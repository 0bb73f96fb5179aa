// Nobody else runs code in a target through an inspector Ferry opened; only Node is signalled;
// one Ferry command at a time on a program (issue 20). Real processes; another user is `nobody`,
// reached with setpriv (the suite runs as root in CI).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { listeningPorts } from '../../snapshot/target/node-process';
import { aloneOnPort9229 } from '../remote/env';
import { nodeOfMajor } from '../helpers/node-versions';

const ferry = join(__dirname, '..', '..', 'dist', 'cli.js');
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const asNobody = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];

/** A counter whose `ferry:checkpoint` listener (run right before the idle stop) says so, then waits for the file $HOLD, if named. */
const HELD_AT_CHECKPOINT = `
const fs = require('fs');
let n = 0;
setInterval(() => console.log('tick ' + ++n), 50);
process.on('ferry:checkpoint', () => {
  console.log('checkpoint starting');
  while (process.env.HOLD && !fs.existsSync(process.env.HOLD)) {}
});
`;

interface Program {
  child: ChildProcess;
  dir: string;
  /** Resolves when the program prints a line containing `text` (from now on). */
  printed(text: string): Promise<void>;
}

function startProgram(
  source: string,
  options: { runtime?: string; env?: NodeJS.ProcessEnv; prefix?: string[] } = {},
): Program {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-insp-'));
  chmodSync(dir, 0o755); // readable by another user's program
  writeFileSync(join(dir, 'prog.js'), source, { mode: 0o644 });
  const command = [...(options.prefix ?? []), options.runtime ?? process.execPath, 'prog.js'];
  const child = spawn(command[0], command.slice(1), {
    cwd: dir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  let waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters.filter((w) => output.includes(w.text))) waiter.resolve();
    waiters = waiters.filter((w) => !output.includes(w.text));
  });
  return {
    child,
    dir,
    printed: (text) => {
      output = '';
      return new Promise((resolve, reject) => {
        // Already gone, its 'exit' has been and will not come again: say so now, with what it said.
        const ended = (code: number | null, signal: string | null) =>
          reject(
            new Error(
              `the program ended (${signal ?? code}) before printing "${text}"; its stderr: ${errors.slice(-800)}`,
            ),
          );
        if (child.exitCode !== null || child.signalCode !== null) return ended(child.exitCode, child.signalCode);
        waiters.push({ text, resolve });
        child.once('exit', ended);
      });
    },
  };
}

function stop(program: Program): void {
  program.child.kill('SIGKILL');
  rmSync(program.dir, { recursive: true, force: true });
}

interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; `done` resolves when it has ended. */
/** `ferry checkpoint --pid` of a started program, written into its directory. */
function checkpointOf(program: Program, output: string, ...options: string[]) {
  return cli(['checkpoint', '--pid', String(program.child.pid), '-o', join(program.dir, output), ...options]);
}

function cli(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [ferry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return {
    child,
    done: new Promise((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }))),
  };
}

/** Polls `condition` until it holds, failing after `ms`; resolves with the time it took. */
async function until(condition: () => boolean, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
}

const listensOn9229 = (pid: number) => listeningPorts(pid).includes(9229);

/** Ferry's lock files on process `pid` (in either place Ferry keeps them for root). */
function locksOf(pid: number): string[] {
  return ['/run/user/0/ferry', '/tmp/ferry-0'].flatMap((dir) =>
    (existsSync(dir) ? readdirSync(dir) : []).filter((name) => name.startsWith(`${pid}-`) && name.endsWith('.lock')),
  );
}

/** The pids of inspector guards (target/inspector-guard.ts) watching over process `pid`. */
function guardsOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
        return args.some((arg) => arg.endsWith('inspector-guard.js')) && args.includes(String(pid));
      } catch {
        return false; // ended while we looked
      }
    })
    .map(Number);
}

/** What another user gets from http://127.0.0.1:PORT/json/list: the session URL, or what instead. */
function discoverAsNobody(port: number): string {
  const probe = `fetch('http://127.0.0.1:${port}/json/list').then((r) => r.text()).then((t) => console.log(/ws:\\/\\/[^"]+/.exec(t)?.[0] ?? 'no url: ' + t.slice(0, 80)), (e) => console.log('refused: ' + (e.cause?.code ?? e.message)))`;
  const result = spawnSync(asNobody[0], [...asNobody.slice(1), process.execPath, '-e', probe], {
    encoding: 'utf8',
    cwd: '/',
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

describe(
  'inspector security (issue 20)',
  { skip: isRoot ? false : 'needs root to act as another user (setpriv)' },
  () => {
    for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
      it(`closes the inspector it opened when the CLI gets ${signal} mid-checkpoint (the watchdog in the target)`, () =>
        aloneOnPort9229(async () => {
          const hold = join(tmpdir(), `ferry-hold-${process.pid}-${signal}`);
          // SIGKILL on Node 24: Node 20's inspector can crash when its client dies while the program
          // answers it (nodejs/node#64209; README); ci29 saw that SIGSEGV here once.
          const runtime = signal === 'SIGKILL' ? nodeOfMajor(24) : undefined;
          const program = startProgram(HELD_AT_CHECKPOINT, { env: { HOLD: hold }, runtime });
          try {
            await program.printed('tick 2');
            const starting = program.printed('checkpoint starting');
            const run = checkpointOf(program, 'c.ferry');
            await starting; // the CLI holds the target, waiting for it at the idle point
            assert.ok(listensOn9229(program.child.pid!), 'the inspector is open while the checkpoint runs');
            run.child.kill(signal);
            const ended = await run.done;
            assert.equal(ended.signal, signal, ended.stderr);
            // Caught, it lets go of the program first (cli/interrupt.ts), then ends by the same signal.
            if (signal !== 'SIGKILL') assert.match(ended.stderr, /^ferry: interrupted \(SIG(INT|TERM)\): letting go/m);
            writeFileSync(hold, ''); // the program goes on from its listener
            const ms = await until(
              () => !listensOn9229(program.child.pid!),
              5000,
              `the target's inspector closes after the CLI got ${signal}`,
            );
            console.log(`# inspector closed ${ms} ms after the program went on (CLI ${signal})`);
            await program.printed('tick');
            // The lock the dead CLI left is taken over: the next checkpoint works.
            const next = await checkpointOf(program, 'next.ferry').done;
            assert.equal(next.status, 0, next.stderr);
          } finally {
            stop(program);
            rmSync(hold, { force: true });
          }
        }));
    }

    it('closes the inspector when the CLI is killed while the target is stopped for capture', () =>
      aloneOnPort9229(async () => {
        // On Node 24: Node 20's inspector itself can crash when its client dies while the program
        // answers it (nodejs/node#64209; README, "Node 20 can crash when Ferry dies mid-capture").
        const program = startProgram(HELD_AT_CHECKPOINT, { runtime: nodeOfMajor(24) });
        const next = startProgram(HELD_AT_CHECKPOINT);
        try {
          await program.printed('tick 2');
          const starting = program.printed('checkpoint starting');
          const run = checkpointOf(program, 'c.ferry');
          await starting; // its next statement stops it at the idle point; capture follows
          run.child.kill('SIGKILL');
          await run.done;
          await until(() => !listensOn9229(program.child.pid!), 5000, 'the inspector closes after the CLI was killed');
          await program.printed('tick'); // not left stopped in the debugger
          // The killed CLI's lock outlives it; once its program has ended too, the next command removes it.
          assert.equal(locksOf(program.child.pid!).length, 1);
          program.child.kill('SIGKILL');
          await new Promise((resolve) => program.child.once('close', resolve));
          assert.equal((await checkpointOf(next, 'c.ferry').done).status, 0);
          assert.deepEqual(locksOf(program.child.pid!), []);
        } finally {
          stop(program);
          stop(next);
        }
      }));

    it('closes the inspector of a program busy in synchronous code once it is back in its event loop', () =>
      aloneOnPort9229(async () => {
        const hold = join(tmpdir(), `ferry-hold-${process.pid}-busy`);
        // Busy from before the signal to after the command gave up: the watchdog cannot connect meanwhile.
        const program = startProgram(
          `${HELD_AT_CHECKPOINT}
setTimeout(() => { console.log('busy'); while (!fs.existsSync(process.env.HOLD)) {} }, 200);`,
          { env: { HOLD: hold } },
        );
        try {
          await program.printed('busy');
          const busy = await checkpointOf(program, 'c.ferry', '--idle-timeout', '500').done;
          assert.equal(busy.status, 1);
          assert.match(busy.stderr, /busy in synchronous code/);
          writeFileSync(hold, '');
          await until(() => !listensOn9229(program.child.pid!), 5000, 'the inspector closes once the program is back');
          await program.printed('tick');
        } finally {
          stop(program);
          rmSync(hold, { force: true });
        }
      }));

    it('closes the inspector when the CLI is killed after its signal, before its watchdog (the guard)', () =>
      aloneOnPort9229(async () => {
        const program = startProgram(HELD_AT_CHECKPOINT);
        // 9229 held: the CLI waits for it after starting its guard and before signalling. The
        // test then plays the signal that lands as the CLI dies: nothing of the CLI is left in
        // the target to close what opens.
        const blocker = createServer();
        await new Promise<void>((resolve) => blocker.listen(9229, '127.0.0.1', resolve));
        let blocking = true;
        try {
          await program.printed('tick 2');
          const pid = program.child.pid!;
          const run = checkpointOf(program, 'c.ferry');
          await until(() => guardsOf(pid).length === 1, 10_000, 'the CLI starts its guard before signalling');
          run.child.kill('SIGKILL');
          await run.done;
          await new Promise((resolve) => blocker.close(resolve));
          blocking = false;
          program.child.kill('SIGUSR1');
          await until(() => listensOn9229(pid), 5000, 'the signalled program opens its inspector');
          const ms = await until(() => !listensOn9229(pid), 5000, 'the guard closes the inspector');
          console.log(`# inspector closed by the guard ${ms} ms after it opened`);
          await until(() => guardsOf(pid).length === 0, 5000, 'the guard ends');
          await program.printed('tick');
        } finally {
          if (blocking) blocker.close();
          stop(program);
        }
      }));

    it('leaves no guard behind when the checkpoint succeeds', () =>
      aloneOnPort9229(async () => {
        const program = startProgram(HELD_AT_CHECKPOINT);
        try {
          await program.printed('tick 2');
          const taken = await checkpointOf(program, 'c.ferry').done;
          assert.equal(taken.status, 0, taken.stderr);
          await until(() => guardsOf(program.child.pid!).length === 0, 5000, 'the disarmed guard ends');
          assert.equal(listensOn9229(program.child.pid!), false);
        } finally {
          stop(program);
        }
      }));

    it("does not take a stranger's connection to Ferry for the watchdog's", () =>
      aloneOnPort9229(async () => {
        const hold = join(tmpdir(), `ferry-hold-${process.pid}-stranger`);
        // Busy until after Ferry gave up: its watchdog connects only then, to Ferry's old port, where a
        // stranger now listens and would hold the connection (and so the inspector) open.
        const program = startProgram(
          `${HELD_AT_CHECKPOINT}
setTimeout(() => { console.log('busy'); while (!fs.existsSync(process.env.HOLD)) {} }, 200);`,
          { env: { HOLD: hold } },
        );
        const held: Socket[] = [];
        const impostor = createServer((socket) => held.push(socket));
        try {
          await program.printed('busy');
          const run = checkpointOf(program, 'c.ferry', '--idle-timeout', '3000');
          let ports: number[] = [];
          await until(
            () => (ports = listeningPorts(run.child.pid!)).length > 0,
            10_000,
            'Ferry listens for its watchdog',
          );
          const stranger = connect(ports[0], '127.0.0.1');
          await new Promise((resolve) => stranger.once('connect', resolve));
          held.push(stranger);
          assert.match((await run.done).stderr, /busy in synchronous code/);
          await new Promise<void>((resolve) => impostor.listen(ports[0], '127.0.0.1', resolve));
          writeFileSync(hold, '');
          await until(
            () => !listensOn9229(program.child.pid!),
            5000,
            'the inspector closes though a stranger holds the connection',
          );
        } finally {
          for (const socket of held) socket.destroy();
          impostor.close();
          stop(program);
          rmSync(hold, { force: true });
        }
      }));

    it('has closed the inspector when the checkpoint command returns: the open window, measured', () =>
      aloneOnPort9229(async () => {
        const program = startProgram(HELD_AT_CHECKPOINT);
        try {
          await program.printed('tick 2');
          const pid = program.child.pid!;
          const run = cli(['checkpoint', '--pid', String(pid), '-o', join(program.dir, 'c.ferry')]);
          let exited = false;
          void run.done.then(() => (exited = true));
          await until(() => listensOn9229(pid) || exited, 10_000, 'the inspector opens');
          const opened = Date.now();
          await until(() => !listensOn9229(pid), 10_000, 'the inspector closes');
          const window = Date.now() - opened;
          const result = await run.done;
          assert.equal(result.status, 0, result.stderr);
          assert.equal(listensOn9229(pid), false, 'closed when the command returns');
          console.log(
            `# inspector open to local users for about ${window} ms (SIGUSR1 to closed: the whole checkpoint of a small program)`,
          );
        } finally {
          stop(program);
        }
      }));

    it('refuses a second command on the same program while one runs', () =>
      aloneOnPort9229(async () => {
        const hold = join(tmpdir(), `ferry-hold-${process.pid}-second`);
        const program = startProgram(HELD_AT_CHECKPOINT, { env: { HOLD: hold } });
        try {
          await program.printed('tick 2');
          const starting = program.printed('checkpoint starting');
          const first = checkpointOf(program, 'first.ferry');
          await starting;
          const second = await checkpointOf(program, 'second.ferry').done;
          assert.equal(second.status, 1);
          assert.match(
            second.stderr,
            new RegExp(
              `^ferry: process ${program.child.pid} is already attached to by another Ferry process \\(pid ${first.child.pid}\\): a checkpoint, a migration or a VS Code session; one at a time`,
            ),
          );
          writeFileSync(hold, '');
          const done = await first.done;
          assert.equal(done.status, 0, done.stderr);
          assert.match(done.stdout, /checkpoint written/);
        } finally {
          stop(program);
          rmSync(hold, { force: true });
        }
      }));

    it("refuses another user's process before sending it anything", () =>
      aloneOnPort9229(async () => {
        const program = startProgram(HELD_AT_CHECKPOINT, { prefix: asNobody });
        try {
          await program.printed('tick 2');
          const pid = program.child.pid!;
          const result = await cli(['checkpoint', '--pid', String(pid), '-o', join(tmpdir(), 'never.ferry')]).done;
          assert.equal(result.status, 1);
          assert.equal(
            result.stderr,
            `ferry: process ${pid} belongs to another user (uid ${NOBODY}); Ferry attaches only to your own processes\n`,
          );
          assert.equal(listensOn9229(pid), false, 'not signalled: its inspector stays closed');
        } finally {
          stop(program);
        }
      }));

    it("says so when another user runs Ferry on this user's process", (t) =>
      aloneOnPort9229(async () => {
        if (spawnSync(asNobody[0], [...asNobody.slice(1), 'test', '-r', ferry]).status !== 0)
          return t.skip(`${ferry} is not readable by uid ${NOBODY}`);
        const program = startProgram(HELD_AT_CHECKPOINT);
        try {
          await program.printed('tick 2');
          const pid = program.child.pid!;
          const result = spawnSync(
            asNobody[0],
            [
              ...asNobody.slice(1),
              process.execPath,
              ferry,
              'checkpoint',
              '--pid',
              String(pid),
              '-o',
              '/tmp/never.ferry',
            ],
            { encoding: 'utf8', cwd: '/' },
          );
          assert.equal(result.status, 1);
          assert.equal(
            result.stderr,
            `ferry: process ${pid} belongs to another user (uid 0); Ferry attaches only to your own processes\n`,
          );
          assert.equal(listensOn9229(pid), false);
        } finally {
          stop(program);
        }
      }));

    it('never signals a renamed program that is not Node', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-insp-'));
      const impostor = join(dir, 'nodewatcher');
      copyFileSync('/bin/sleep', impostor);
      chmodSync(impostor, 0o755);
      const sleeper = spawn(impostor, ['30'], { stdio: 'ignore' });
      try {
        await new Promise((resolve) => sleeper.once('spawn', resolve));
        const refused = await cli(['checkpoint', '--pid', String(sleeper.pid), '-o', join(dir, 'never.ferry')]).done;
        assert.equal(refused.status, 1);
        assert.match(
          refused.stderr,
          /^ferry: process \d+ runs .*\/nodewatcher, not Node\.js: Ferry does not signal it\n$/,
        );
        assert.equal(sleeper.exitCode, null);
        assert.equal(sleeper.signalCode, null, 'never signalled');
      } finally {
        sleeper.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('attaches to a renamed node', () =>
      aloneOnPort9229(async () => {
        const runtimeDir = mkdtempSync(join(tmpdir(), 'ferry-insp-'));
        const runtime = join(runtimeDir, 'js-runtime');
        try {
          linkSync(process.execPath, runtime);
        } catch {
          copyFileSync(process.execPath, runtime); // on another filesystem
        }
        chmodSync(runtime, 0o755);
        const program = startProgram(HELD_AT_CHECKPOINT, { runtime });
        try {
          await program.printed('tick 2');
          const taken = await checkpointOf(program, 'c.ferry').done;
          assert.equal(taken.status, 0, taken.stderr);
          assert.match(taken.stdout, /checkpoint written/);
        } finally {
          stop(program);
          rmSync(runtimeDir, { recursive: true, force: true });
        }
      }));

    it('ferry run: another user finds the port but not the session URL', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-insp-'));
      // It ends when its stdin (the CLI's, which the test holds) closes.
      writeFileSync(join(dir, 'prog.js'), "process.stdin.on('data', () => {}).on('end', () => process.exit(0));");
      const run = spawn(process.execPath, [ferry, 'run', '--', join(dir, 'prog.js')], {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let stderr = '';
          run.stderr!.on('data', (d) => {
            stderr += d;
            const match = /runs with its inspector at (ws:\/\/\S+)/.exec(stderr);
            if (match) resolve(match[1]);
          });
          run.once('exit', () => reject(new Error(`ferry run ended: ${stderr}`)));
        });
        const port = Number(new URL(url).port);
        assert.notEqual(port, 9229, "a port of the system's choice");
        const seen = discoverAsNobody(port);
        assert.doesNotMatch(seen, /ws:\/\//, `another user read the session URL: ${seen}`);
      } finally {
        run.stdin!.end();
        await new Promise((resolve) => run.once('close', resolve));
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('ferry restore --debug: the session URL is on the terminal, not on the port', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-insp-'));
      writeFileSync(join(dir, 'prog.js'), "let n = 1;\nn += 1;\nconsole.log('n', n);\n");
      const checkpoint = join(dir, 'prog.ferry');
      const taken = spawnSync(
        process.execPath,
        [
          ferry,
          'run',
          '--checkpoint-at',
          `${join(dir, 'prog.js')}:2`,
          '-o',
          checkpoint,
          '--then',
          'stop',
          '--',
          join(dir, 'prog.js'),
        ],
        { encoding: 'utf8' },
      );
      assert.equal(taken.status, 0, taken.stderr);
      // Its own process group: the restoring node it starts (waiting for a debugger) ends with it.
      const restore = spawn(process.execPath, [ferry, 'restore', checkpoint, '--debug'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let stderr = '';
          restore.stderr!.on('data', (d) => {
            stderr += d;
            const match = /Debugger listening on (ws:\/\/\S+)/.exec(stderr);
            if (match) resolve(match[1]);
          });
          restore.once('exit', () => reject(new Error(`ferry restore ended: ${stderr}`)));
        });
        const seen = discoverAsNobody(Number(new URL(url).port));
        assert.doesNotMatch(seen, /ws:\/\//, `another user read the session URL: ${seen}`);
      } finally {
        process.kill(-restore.pid!, 'SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
