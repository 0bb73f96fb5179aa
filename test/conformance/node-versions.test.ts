// Restoring on another Node version than the one the checkpoint was taken on: corpus programs
// checkpointed on this Node (20) are restored by Node 22 and 24 (restore.js run by that binary,
// handed the program's files as `ferry restore` hands them), and one taken on 24 is restored back
// here; each must print what one uninterrupted run prints and leave the same files.
// Node 22 and 24 come from the npm registry into .node-versions/ on first run (test/helpers/node-versions.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointAndRestore, runUninterrupted, type NodeBinaries, type RunOutput } from '../helpers/oracle';
import { nodeOfMajor } from '../helpers/node-versions';

/** A few kinds of state: files held open by number (Node 22 opens more descriptors at start), a suspended async function, generators, a server. */
const PROGRAMS = ['file-descriptors.js', 'fs-write-streams.js', 'async-nested-awaits.js', 'generators-suspended.js', 'http-server-counts.js'];
const BACK = ['file-descriptors.js', 'async-nested-awaits.js'];

function firstPoint(program: string): number {
  return Number(/^\/\/ ferry-lines: (\d+)/m.exec(readFileSync(program, 'utf8'))?.[1] ?? 1);
}

function sameAsUninterrupted(programs: string[], nodes: () => NodeBinaries): void {
  for (const name of programs) {
    const program = join(__dirname, 'corpus', name);
    describe(name, () => {
      let baseline: RunOutput;
      before(async () => {
        baseline = await runUninterrupted(program);
      });
      it('same output and files as an uninterrupted run', async () => {
        const run = await checkpointAndRestore(program, firstPoint(program), nodes());
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
      sameAsUninterrupted(PROGRAMS, () => ({ restore: node }));
    });
  }
  describe(`checkpoint on Node 24, restore on ${process.version}`, () => {
    let node: string;
    before(() => {
      node = nodeOfMajor(24);
    });
    sameAsUninterrupted(BACK, () => ({ checkpoint: node }));
  });
});
