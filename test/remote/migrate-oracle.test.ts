// The fidelity oracle for `ferry migrate --pid PID --on loopback1 --cwd DIR --follow`: a corpus program
// running here is moved mid-run; what it printed here and what it printed there is, line for line, one
// uninterrupted run, and the files it wrote (shipped with it, then written on) are that run's files.
// loopback1 shares this machine's filesystem, where the program's directory is not its user's to
// write: it runs in DIR, in the host user's home, under the same name.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { linesPrinted, stage } from '../helpers/oracle';
import { aloneOnPort9229, remoteDir, skipReason, usr1Pending } from './env';
import { baseline, fetchFiles, ferry, onHost, onlyRun, withCliHost, writtenFiles } from './oracle-remote';

// Corpus-like programs that run long enough (2 s) to be moved mid-run: the corpus's own finish in
// half a second, less than a fresh `ferry` takes to start and attach on a loaded machine.
const FIXTURES = join(__dirname, 'fixtures');
const PROGRAMS = ['migrate-log.js', 'migrate-state.js'];

describe(
  'fidelity oracle over SSH: ferry migrate --pid --on loopback1 --follow',
  { skip: skipReason, timeout: 120_000 },
  () => {
    const host = withCliHost('loopback1');

    for (const file of PROGRAMS) {
      it(file, () =>
        aloneOnPort9229(async () => {
          const program = join(FIXTURES, file);
          const expected = await baseline(program);
          const { dir, script } = stage(program);
          const remote = remoteDir('migrate-oracle');
          try {
            const origin = spawn(process.execPath, [script], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
            let before = '';
            origin.stdout!.on('data', (chunk: Buffer) => (before += chunk.toString('utf8')));
            const gone = new Promise((resolve) => origin.once('close', resolve));
            await linesPrinted(origin, 3);
            // Held still until migrate signals it, so it cannot finish before the CLI (a fresh Node) is up.
            origin.kill('SIGSTOP');
            // Named as here: migrate-state.js looks at its directory's name.
            const cwd = `${remote}/${basename(dir)}`;
            const moving = ferry([
              'migrate',
              '--pid',
              String(origin.pid),
              ...onHost('loopback1', remote),
              '--cwd',
              cwd,
              '--follow',
            ]);
            while (!usr1Pending(origin.pid!)) await new Promise((resolve) => setTimeout(resolve, 10));
            origin.kill('SIGCONT');
            const moved = await moving;
            assert.equal(moved.code, 0, moved.stderr);
            assert.match(moved.stderr, /moved to loopback1 as \S+ \(the original is ended; program frozen \d+ ms\)/);
            await gone;
            assert.equal(before + moved.stdout, expected.stdout, 'every line exactly once, across the two hosts');
            assert.match(moved.stderr, new RegExp(`the program runs on loopback1 in ${cwd}, not at its own path`));
            await onlyRun('loopback1', remote);
            // The policy errs towards shipping (a start time known to the second): compare what it wrote.
            assert.deepEqual(writtenFiles(program, await fetchFiles(host(), cwd)), expected.written);
          } finally {
            rmSync(dir, { recursive: true, force: true });
            rmSync(remote, { recursive: true, force: true });
          }
        }),
      );
    }
  },
);
