// A restored program checkpointed again carries the program and nothing of the restore runtime: the
// code Ferry generates for classes with private fields, derived classes and object-literal methods
// using `super` calls helpers of the runtime, and a chain of checkpoints must not drag the runtime
// (its whole module, 2000 objects) into each checkpoint, nor break on the next restore.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, inspectorUrl, nextPid, withDir } from '../helpers/cli-runs';
import { aloneOnPort9229 } from '../remote/env';

const ferry = join(__dirname, '..', '..', 'dist', 'cli.js');
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [ferry, ...args], { encoding: 'utf8', cwd });
const cliAsync = (args: string[], cwd: string) =>
  spawn(process.execPath, [ferry, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

// Each tick prints what the private field, the derived class and `super` give; ends after 3 ticks of
// its third restored process (a restore counts itself through ferry:restore). In its second, `derived`
// gets another prototype, which `super` must follow.
const PROGRAM = `
const { EventEmitter } = require('events');
class Counter extends EventEmitter {
  #count = 0;
  bump() { this.#count++; this.emit('bump', this.#count); }
}
const base = { describe() { return 'base'; } };
const other = { describe() { return 'other'; } };
const derived = { __proto__: base, describe() { return 'derived of ' + super.describe(); } };
let restores = 0, since = 0;
process.on('ferry:restore', () => { restores++; since = 0; });
const counter = new Counter();
counter.on('bump', (n) => {
  if (restores === 2) Object.setPrototypeOf(derived, other);
  console.log('tick ' + n + ' ' + derived.describe() + ' restores ' + restores + ' pid ' + process.pid);
  if (restores === 3 && ++since === 3) process.exit(0);
});
setInterval(() => counter.bump(), 20);
`;

// A timeout due between the third and fourth of four ticks, 1 s from either. After a restore it
// waits out what was left of its time, and a checkpoint of the restored program must carry what is
// left of that, not of its whole duration (which would move it 2 s, after the last tick).
const TIMEOUT_PROGRAM = `
let ticks = 0;
setTimeout(() => console.log('due'), 7000);
const interval = setInterval(() => {
  console.log('tick ' + ++ticks + ' pid ' + process.pid);
  if (ticks === 4) clearInterval(interval);
}, 2000);
`;

// Two counters from one factory, equal until the second restore bumps the first: the checkpoint of
// the restored program must still tell their contexts apart (a closure assigns `n`). Below 20 lines
// of comments, its restored code is compiled from line 21 on.
const COUNTERS_PROGRAM = `${'// a line of comment\n'.repeat(20)}
function makeCounter() {
  let n = 0;
  return { inc: () => ++n, get: () => n };
}
const counters = [makeCounter(), makeCounter()];
let restores = 0;
process.on('ferry:restore', () => {
  if (++restores < 2) return void console.log('restored pid ' + process.pid);
  setImmediate(() => {
    counters[0].inc();
    console.log('counts ' + counters.map((c) => c.get()).join(' '));
    process.exit(0);
  });
});
setInterval(() => {}, 1000);
console.log('ready pid ' + process.pid);
`;

/** `ferry inspect`'s line for a field (`heap`, `modules`). */
function inspected(dir: string, checkpoint: string, field: string): string {
  const out = cli(['inspect', checkpoint], dir);
  assert.equal(out.status, 0, out.stderr);
  return new RegExp(`^${field}\\s+(.*)$`, 'm').exec(out.stdout)?.[1] ?? '';
}

const objectsIn = (heapLine: string) => Number(/^(\d+) objects/.exec(heapLine)?.[1]);

/** `ferry run prog.js` in `dir`, checkpointed into c1.ferry and stopped once it has printed its pid. */
async function firstCheckpoint(
  dir: string,
  started: <P extends ChildProcess | number>(process: P) => P,
): Promise<void> {
  const run = started(cliAsync(['run', '--', 'prog.js'], dir));
  const [url] = await Promise.all([inspectorUrl(run), nextPid(run)]);
  const first = cli(['checkpoint', '--inspect', url, '-o', 'c1.ferry', '--then', 'stop'], dir);
  assert.equal(first.status, 0, first.stderr);
  await exited(run);
}

describe('a restored program checkpointed again', () => {
  it('carries no code of the restore runtime, and restores again and again', () =>
    aloneOnPort9229(
      withDir(async (dir, started) => {
        writeFileSync(join(dir, 'prog.js'), PROGRAM);
        await firstCheckpoint(dir, started);
        let output = '';
        for (const n of [1, 2, 3]) {
          const restoring = started(cliAsync(['restore', `c${n}.ferry`], dir));
          restoring.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
          const pid = started(await nextPid(restoring));
          if (n === 3) {
            assert.equal(await exited(restoring), 0, output);
            break;
          }
          const again = cli(['checkpoint', '--pid', String(pid), '-o', `c${n + 1}.ferry`, '--then', 'stop'], dir);
          assert.equal(again.status, 0, again.stderr);
          await exited(restoring);
          assert.doesNotMatch(inspected(dir, `c${n + 1}.ferry`, 'modules'), /restore\.js/);
          // Each restore adds a few objects of its own (a placeholder per `super` home, its factories'
          // variables an eval made visible), never the runtime (2000 objects).
          const [before, after] = [`c${n}.ferry`, `c${n + 1}.ferry`].map((c) => objectsIn(inspected(dir, c, 'heap')));
          assert.ok(after <= before + 30, `c${n + 1}.ferry holds ${after} objects, c${n}.ferry ${before}`);
        }
        const ticks = [...output.matchAll(/^tick (\d+) derived of (base|other) restores (\d) pid \d+$/gm)];
        assert.ok(ticks.length >= 3, output);
        // Consecutive ticks across the three restores: no tick lost or repeated, the last restore reached.
        ticks.forEach((tick, i) => i > 0 && assert.equal(Number(tick[1]), Number(ticks[i - 1][1]) + 1, output));
        assert.equal(ticks.at(-1)![3], '3', output);
        assert.deepEqual(
          [...new Set(ticks.map((tick) => `${tick[3]} ${tick[2]}`))],
          ['1 base', '2 other', '3 other'],
          output,
        );
      }),
    ));

  it('tells closure contexts of equal values apart again', () =>
    aloneOnPort9229(
      withDir(async (dir, started) => {
        writeFileSync(join(dir, 'prog.js'), COUNTERS_PROGRAM);
        await firstCheckpoint(dir, started);
        const restoring = started(cliAsync(['restore', 'c1.ferry'], dir));
        const pid = started(await nextPid(restoring));
        const again = cli(['checkpoint', '--pid', String(pid), '-o', 'c2.ferry', '--then', 'stop'], dir);
        assert.equal(again.status, 0, again.stderr);
        await exited(restoring);
        const last = cli(['restore', 'c2.ferry'], dir);
        assert.equal(last.status, 0, last.stderr);
        assert.equal(last.stdout, 'counts 1 0\n');
      }),
    ));

  it('keeps a restored timer due when it was: checkpointed again, it fires between the same ticks', () =>
    aloneOnPort9229(
      withDir(async (dir, started) => {
        writeFileSync(join(dir, 'prog.js'), TIMEOUT_PROGRAM);
        const first = cli(
          ['run', '--checkpoint-at', 'prog.js:5#1', '-o', 'c1.ferry', '--then', 'stop', '--', 'prog.js'],
          dir,
        );
        assert.equal(first.status, 0, first.stderr);
        let output = '';
        const restoring = started(cliAsync(['restore', 'c1.ferry'], dir));
        restoring.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        const pid = started(await nextPid(restoring));
        const again = cli(['checkpoint', '--pid', String(pid), '-o', 'c2.ferry', '--then', 'stop'], dir);
        assert.equal(again.status, 0, again.stderr);
        await exited(restoring);
        const last = started(cliAsync(['restore', 'c2.ferry'], dir));
        last.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        assert.equal(await exited(last), 0, output);
        assert.deepEqual(
          output
            .replace(/ pid \d+/g, '')
            .trim()
            .split('\n'),
          ['tick 1', 'tick 2', 'tick 3', 'due', 'tick 4'],
        );
      }),
    ));
});
