// Restoring on another Node version than the one the checkpoint was taken on: corpus programs
// checkpointed on this Node (20) are restored by Node 22 and 24 (restore.js run by that binary,
// handed the program's files as `ferry restore` hands them); each must print what one
// uninterrupted run prints and leave the same files. (Checkpoints are taken on Node 20 only: on 22
// and 24 the capture refuses runtime objects it does not know yet, such as undici's dispatcher.)
// Node 22 and 24 come from the npm registry into .node-versions/ on first run (test/helpers/node-versions.ts).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointAndRestore, runUninterrupted, type RunOutput } from '../helpers/oracle';
import { nodeOfMajor } from '../helpers/node-versions';

/** A few kinds of state: files held open by number (Node 22 opens more descriptors at start), a suspended async function, generators, a server. */
const PROGRAMS = ['file-descriptors.js', 'fs-write-streams.js', 'async-nested-awaits.js', 'generators-suspended.js', 'http-server-counts.js'].map((name) => join(__dirname, 'corpus', name));
/** Holds util.isBoolean, which Node 23 removed. */
const REMOVED_BUILTIN = join(__dirname, 'node-versions', 'removed-builtin.js');

function firstPoint(program: string): number {
  return Number(/^\/\/ ferry-lines: (\d+)/m.exec(readFileSync(program, 'utf8'))?.[1] ?? 1);
}

function sameAsUninterrupted(programs: string[], restoringNode: () => string): void {
  for (const program of programs) {
    describe(basename(program), () => {
      let baseline: RunOutput;
      before(async () => {
        baseline = await runUninterrupted(program);
      });
      it('same output and files as an uninterrupted run', async () => {
        const run = await checkpointAndRestore(program, firstPoint(program), restoringNode());
        assert.equal(run.code, baseline.code, `restore exited ${run.code}:\n${run.restoreStderr}`);
        assert.equal(run.before + run.after, baseline.stdout);
        assert.deepEqual(run.files, baseline.files);
      });
    });
  }
}

describe('restore on another Node version', { concurrency: 1 }, () => {
  for (const major of [22, 24]) {
    describe(`checkpoint on ${process.version}, restore on Node ${major}`, () => {
      let node: string;
      before(() => {
        node = nodeOfMajor(major);
      });
      sameAsUninterrupted(major < 23 ? [...PROGRAMS, REMOVED_BUILTIN] : PROGRAMS, () => node);
    });
  }
  it('a built-in the restoring Node lacks is refused by name before the program goes on', async () => {
    const run = await checkpointAndRestore(REMOVED_BUILTIN, firstPoint(REMOVED_BUILTIN), nodeOfMajor(24));
    assert.equal(run.code, 70, run.restoreStderr);
    assert.match(run.restoreStderr, /^ferry: this checkpoint was taken on Node v20\.\S+ and uses built-ins that this Node \(v24\.\S+\) does not have: module:util\.isBoolean\. .*--ship-node/m);
    assert.equal(run.after, '');
    // The program did not go on: its file holds the steps it made before the checkpoint.
    assert.equal(run.files['steps.txt'], run.before.split('\n').filter(Boolean).map((_, k) => `${k + 1}\n`).join(''));
  });
});
