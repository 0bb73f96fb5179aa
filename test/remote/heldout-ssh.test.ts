// The held-out set over SSH (issue 16's "Done when"): each program of test/conformance/heldout/,
// checkpointed here at idle after the first line count its header names, its directory deleted, and
// restored through `ferry restore CP --on remote2`: its connections (ws-chat's WebSocket) stay with
// their holder here, which relays them to the host as a stub. A checkpoint refused by name passes
// (it is the outcome the local held-out suite counts as refused); a restore there must print the
// uninterrupted run's output and leave its files, byte for byte. A program whose header names a
// known gap on a host (`// ferry-ssh-gap: TEXT`) must fail there with that text, until the gap is
// closed and the header removed: the gap stays visible, and a change in it fails the test. Files it
// wrote before the checkpoint under names built at run time stay here, as Ferry warns (README,
// "Carried under a condition"): a header names them (`// ferry-ssh-left-behind: FILE...`), the
// checkpoint's warning must name each, and the host must have every other file the warnings do not name.
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FerryError } from '../../snapshot/errors';
import { letGoOfConnections } from '../helpers/oracle';
import { remoteDir, skipReason } from './env';
import {
  baseline,
  checkpointAndDelete,
  CORPUS,
  fetchFiles,
  ferry,
  header,
  onHost,
  onlyRun,
  withCliHost,
  writtenFiles,
  type Checkpointed,
} from './oracle-remote';

const HOST = 'remote2';
const HELD_OUT = join(CORPUS, '..', 'heldout');
const programs = readdirSync(HELD_OUT)
  .filter((file) => /\.(c?js|mjs)$/.test(file))
  .sort();

/** The checkpoint, or the refusal's message when Ferry refused the program by name. */
async function checkpointOrRefusal(program: string, lines: number): Promise<Checkpointed | string> {
  try {
    return await checkpointAndDelete(program, lines);
  } catch (error) {
    if (error instanceof FerryError && error.kind === 'refused') return error.message;
    throw error;
  }
}

describe(
  `held-out programs over SSH: ferry restore --on ${HOST}`,
  { skip: skipReason, timeout: 900_000, concurrency: 2 },
  () => {
    const host = withCliHost(HOST);

    for (const file of programs) {
      const program = join(HELD_OUT, file);
      const lines = Number((header(program, 'lines') ?? '1').split(',')[0]);
      it(`${file} after ${lines} line(s)`, async (t) => {
        const expected = await baseline(program);
        const origin = await checkpointOrRefusal(program, lines);
        if (typeof origin === 'string') {
          t.diagnostic(`refused: ${origin.replace(/\s+/g, ' ')}`);
          return;
        }
        const dir = remoteDir('heldout');
        try {
          const restored = await ferry(['restore', origin.checkpoint, ...onHost(HOST, dir), '--keep']);
          const gap = header(program, 'ssh-gap');
          if (gap) {
            assert.ok(restored.stderr.includes(gap), `the known gap (${gap}) is not what failed:\n${restored.stderr}`);
            t.diagnostic(`known gap on a host: ${gap}`);
            return;
          }
          assert.equal(restored.code, expected.code, restored.stderr);
          const held = origin.manifest.handles.connections?.sockets.length;
          if (held)
            assert.match(
              restored.stderr,
              new RegExp(`${held} connection\\(s\\) stay here, relayed to ${HOST} by a stub`),
            );
          assert.equal((origin.before + restored.stdout).replaceAll(origin.dir, '<dir>'), expected.stdout);
          const run = await onlyRun(HOST, dir);
          assert.deepEqual({ state: run.state, exitCode: run.exitCode }, { state: 'exited', exitCode: expected.code });
          const warnedLeftBehind = (file: string) =>
            origin.manifest.warnings.some((w) => w.startsWith('not carried:') && w.includes(file));
          for (const file of (header(program, 'ssh-left-behind') ?? '').split(' ').filter(Boolean))
            assert.ok(warnedLeftBehind(file), `no warning names ${file} as left behind: ${origin.manifest.warnings}`);
          // Under load the checkpoint can come a write later than the header's: a file missing on the
          // host must then be one the checkpoint said it left behind, never one lost in silence.
          const onTheHost = writtenFiles(program, await fetchFiles(host(), origin.dir));
          for (const file of Object.keys(expected.written).filter((file) => !(file in onTheHost)))
            assert.ok(warnedLeftBehind(file), `${file} is missing on the host, and no warning says so`);
          for (const [file, text] of Object.entries(onTheHost)) assert.equal(text, expected.written[file], file);
        } finally {
          await letGoOfConnections(origin.manifest); // a restore there that failed left them held here
          rmSync(origin.checkpoint, { force: true });
          await host().exec(`rm -rf ${origin.dir} ${dir}`);
        }
      });
    }
  },
);
