// The fidelity oracle over SSH (DESIGN §6, §11): every idle corpus program, checkpointed here after N
// lines, its directory deleted, restored on loopback1 through `ferry restore CP --on HOST` into a run
// directory elsewhere: the two halves of its output must be the uninterrupted run's output byte for
// byte, and the files it wrote there (fetched back over SSH) the uninterrupted run's files.
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SshHost } from '../../snapshot/remote/ssh';
import { remoteDir, skipReason, testEnvUp } from './env';
import { baseline, checkpointAndDelete, cliHost, CORPUS, fetchFiles, ferry, header, onHost, onlyRun, cliHome } from './oracle-remote';

// Files it wrote before the checkpoint are gone with its directory; such programs are moved by
// `migrate`, which ships them (see migrate-oracle.test.ts), until checkpoints carry working files.
const NEEDS_WORKING_FILES = new Set(['appending-log-file.js', 'file-descriptors.js']);


const programs = readdirSync(CORPUS).filter((file) => file.endsWith('.js') && !header(join(CORPUS, file), 'refuse') && !NEEDS_WORKING_FILES.has(file)).sort();

describe('fidelity oracle over SSH: ferry restore --on loopback1', { skip: skipReason, timeout: 240_000, concurrency: 3 }, () => {
  let host: SshHost;
  before(async () => {
    testEnvUp();
    host = await cliHost('loopback1'); // the master every `ferry` below rides on
  });
  after(async () => {
    await host?.close();
    rmSync(cliHome(), { recursive: true, force: true });
  });

  it(`covers a large sample of the corpus (${programs.length} programs)`, () => assert.ok(programs.length >= 15, programs.join(' ')));

  for (const file of programs) {
    const program = join(CORPUS, file);
    // The first of its checkpoint points (the local suite runs them all): the most of the program is
    // left to run after it, so a loaded machine does not let it end while it is being checkpointed.
    const lines = Number((header(program, 'lines') ?? '1').split(',')[0]);
    it(`${file} after ${lines} line(s)`, async () => {
      const expected = await baseline(program);
      const origin = await checkpointAndDelete(program, lines);
      const dir = remoteDir('oracle');
      try {
        const restored = await ferry(['restore', origin.checkpoint, ...onHost('loopback1', dir), '--keep']);
        assert.equal(restored.code, expected.code, restored.stderr);
        assert.equal(origin.before + restored.stdout, expected.stdout);
        const run = await onlyRun('loopback1', dir);
        assert.deepEqual({ state: run.state, exitCode: run.exitCode }, { state: 'exited', exitCode: expected.code });
        assert.deepEqual(await fetchFiles(host, `${dir}/runs/${run.id}/work/${origin.dirName}`), expected.written);
      } finally {
        rmSync(origin.checkpoint, { force: true });
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
