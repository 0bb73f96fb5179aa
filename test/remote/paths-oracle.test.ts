// Paths after the move (snapshot/remote/placement.ts, snapshot/restore/paths.ts), over SSH to remote2,
// a host with a filesystem of its own (ssh-testenv.sh): programs that hold absolute paths (an output
// directory joined to their working directory, files read beside their script by __dirname, a
// config path, a log held open, a module loaded late, paths inside longer strings: a search path, an
// option, JSON, a URL in a sentence) are checkpointed here, their directory
// deleted, and restored there through `ferry restore --on`: at the same path by default, and in
// another directory with --cwd. What they print, and the files they leave there (fetched back over
// SSH), must be those of an uninterrupted run. A directory the host cannot give is refused before
// anything runs, and before a migrated program stops: it goes on here.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { resumeTarget, writeCheckpoint } from '../../snapshot/checkpoint';
import { launchWithInspector } from '../../snapshot/target/launch';
import { collect } from '../helpers/oracle';
import { remoteDir, skipReason } from './env';
import {
  baseline,
  checkpointAndDelete,
  fetchFiles,
  ferry,
  header,
  onHost,
  withCliHost,
  writtenFiles,
  type Baseline,
  type Checkpointed,
} from './oracle-remote';

const FIXTURES = join(__dirname, 'fixtures', 'paths');
const PROGRAMS = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.js'))
  .sort()
  .map((file) => join(FIXTURES, file));
const HOST = 'remote2'; // never cut (linkcut.test.ts cuts remote1's link, maybe meanwhile)
const EXIT_UNAVAILABLE = 69;

let mapped = 0;
/** A directory on the host, in its own /tmp (which this machine does not see). */
const hostDir = () => `/tmp/ferry-mapped-${process.pid}-${++mapped}`;

describe(
  `paths after the move: ferry restore --on ${HOST} (a filesystem of its own)`,
  { skip: skipReason, timeout: 300_000 },
  () => {
    const host = withCliHost(HOST);

    /** Checkpoints the program here after its first checkpoint point, deletes it, restores it there; returns what it printed and left. */
    async function moved(program: string, cwd?: string) {
      const expected = await baseline(program);
      const origin = await checkpointAndDelete(program, Number(header(program, 'lines')));
      const remote = remoteDir('paths');
      try {
        const restored = await ferry([
          'restore',
          origin.checkpoint,
          ...onHost(HOST, remote),
          ...(cwd ? ['--cwd', cwd] : []),
        ]);
        assert.equal(restored.code, expected.code, restored.stderr);
        const ranIn = cwd ?? origin.dir;
        const left = writtenFiles(program, await fetchFiles(host(), ranIn));
        await host().exec(`rm -rf ${ranIn} ${remote}`);
        return { expected, origin, restored, left, ranIn };
      } finally {
        rmSync(origin.checkpoint, { force: true });
      }
    }

    function assertAsUninterrupted(run: {
      expected: Baseline;
      origin: Checkpointed;
      restored: { code: number | null; stdout: string; stderr: string };
      left: Record<string, string>;
      ranIn: string;
    }): void {
      assert.equal(run.restored.code, run.expected.code, run.restored.stderr);
      const printed =
        run.origin.before.replaceAll(run.origin.dir, '<dir>') + run.restored.stdout.replaceAll(run.ranIn, '<dir>');
      assert.equal(printed, run.expected.stdout);
      assert.deepEqual(run.left, run.expected.written);
    }

    for (const program of PROGRAMS) {
      it(`${basename(program)} at the same path as here`, async () => {
        const run = await moved(program);
        assert.match(
          run.restored.stderr,
          new RegExp(`the program runs on ${HOST} in ${run.origin.dir}, at the same path as here`),
        );
        assertAsUninterrupted(run);
      });

      it(`${basename(program)} in another directory (--cwd), the paths it holds rewritten`, async () => {
        const dir = hostDir();
        const run = await moved(program, dir);
        assert.match(
          run.restored.stderr,
          new RegExp(
            `the program runs on ${HOST} in ${dir}, not at its own path: the paths it holds under ${run.origin.dir} now name ${dir}`,
          ),
        );
        assertAsUninterrupted(run);
      });
    }

    it('a second restore at the same path finds the first run there: refused, naming its files; --overwrite puts them back', async () => {
      const program = join(FIXTURES, 'service.js');
      const expected = await baseline(program);
      const origin = await checkpointAndDelete(program, Number(header(program, 'lines')));
      const remote = remoteDir('paths-again');
      try {
        const first = await ferry(['restore', origin.checkpoint, ...onHost(HOST, remote)]);
        assert.equal(first.code, 0, first.stderr);
        const again = await ferry(['restore', origin.checkpoint, ...onHost(HOST, remote)]);
        assert.equal(again.code, 70, again.stderr);
        assert.equal(again.stdout, '', 'none of it ran');
        assert.match(again.stderr, /changed since the checkpoint: .*logs\/service\.log .*--overwrite/);
        const overwritten = await ferry(['restore', origin.checkpoint, ...onHost(HOST, remote), '--overwrite']);
        assert.equal(overwritten.code, 0, overwritten.stderr);
        assert.equal(origin.before + overwritten.stdout, expected.stdout);
        assert.deepEqual(writtenFiles(program, await fetchFiles(host(), origin.dir)), expected.written);
      } finally {
        rmSync(origin.checkpoint, { force: true });
        await host().exec(`rm -rf ${origin.dir} ${remote}`);
      }
    });

    it('a migration to a directory where another run left its files is refused, the program going on here; --overwrite puts them back', async () => {
      const dir = mkdtempSync('/tmp/ferry-paths-ow-'); // the host's own /tmp: the same path there is free
      const remote = remoteDir('paths-overwrite');
      const ticks = 40;
      try {
        for (const entry of ['service.js', 'service'])
          cpSync(join(FIXTURES, entry), join(dir, entry), { recursive: true });
        // Long enough (4 s) to be there still when the first migration has been refused.
        writeFileSync(join(dir, 'service', 'service.json'), JSON.stringify({ greeting: 'hi', ticks, formatFrom: 100 }));
        const launched = await launchWithInspector({ program: join(dir, 'service.js'), cwd: dir, stdio: 'pipe' });
        const output = collect(launched.child);
        // Another run's log where this program's log goes on the host.
        await host().exec(`mkdir -p ${dir}/logs && echo 'another run' > ${dir}/logs/service.log`);

        const refused = await ferry(['migrate', '--inspect', launched.webSocketUrl, ...onHost(HOST, remote)]);
        assert.equal(refused.code, 70, refused.stderr);
        assert.match(refused.stderr, /changed since the checkpoint: .*logs\/service\.log .*--overwrite/);
        assert.equal((await host().exec(`cat ${dir}/logs/service.log`)).stdout.toString(), 'another run\n');

        const moved = await ferry([
          'migrate',
          '--inspect',
          launched.webSocketUrl,
          ...onHost(HOST, remote),
          '--overwrite',
          '--follow',
        ]);
        assert.equal(moved.code, 0, moved.stderr);
        const here = await output;
        assert.equal(here.signal, 'SIGKILL', 'the origin was ended once the host had it');
        const ticked = (text: string) => [...text.matchAll(/^tick (\d+): hi/gm)].map((match) => Number(match[1]));
        assert.deepEqual(
          [...ticked(here.stdout), ...ticked(moved.stdout)],
          Array.from({ length: ticks }, (_, k) => k + 1),
          'every tick once, here then there',
        );
        // The checkpoint's copy of the log was put back, and the program went on writing it there.
        const log = (await host().exec(`cat ${dir}/logs/service.log`)).stdout.toString();
        assert.equal(log, Array.from({ length: ticks }, (_, k) => `hi ${k + 1}\n`).join(''));
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await host().exec(`rm -rf ${dir} ${remote}`);
      }
    });

    it('refuses a working directory the host user cannot make, before the program stops or anything runs there; it goes on here', async () => {
      // /root is this machine's and the host's own, 0700: the host's user cannot make the directory there.
      const dir = mkdtempSync('/root/ferry-paths-');
      const remote = remoteDir('paths-refused');
      const checkpoint = `${dir}.ferry`;
      const ticks = 60;
      try {
        for (const entry of ['service.js', 'service'])
          cpSync(join(FIXTURES, entry), join(dir, entry), { recursive: true });
        // Long enough (6 s) to be there still when the migration has been refused.
        writeFileSync(join(dir, 'service', 'service.json'), JSON.stringify({ greeting: 'hi', ticks, formatFrom: 100 }));
        const launched = await launchWithInspector({ program: join(dir, 'service.js'), cwd: dir, stdio: 'pipe' });
        const output = collect(launched.child);

        const migrated = await ferry(['migrate', '--inspect', launched.webSocketUrl, ...onHost(HOST, remote)]);
        assert.equal(migrated.code, EXIT_UNAVAILABLE, migrated.stderr);
        assert.match(
          migrated.stderr,
          new RegExp(
            `^ferry: cannot run the program on ${HOST} in ${dir}, the directory it runs in here: .*not writable.*Give --cwd DIR`,
            'm',
          ),
        );

        const session = await openTargetSession(launched.webSocketUrl);
        await writeCheckpoint(session, { at: 'idle', output: checkpoint });
        await resumeTarget(session);
        await session.cdp.close();
        const restored = await ferry(['restore', checkpoint, ...onHost(HOST, remote)]);
        assert.equal(restored.code, EXIT_UNAVAILABLE, restored.stderr);
        assert.match(restored.stderr, /Give --cwd DIR/);
        const elsewhere = await ferry(['restore', checkpoint, ...onHost(HOST, remote), '--cwd', '/root/elsewhere']);
        assert.equal(elsewhere.code, EXIT_UNAVAILABLE, elsewhere.stderr);
        assert.match(
          elsewhere.stderr,
          /^ferry: cannot run the program on remote2 in \/root\/elsewhere, the directory asked for: \S+ cannot make it there \(\/root is not writable\)$/m,
        );
        const runs = await host().exec(`ls ${remote}/runs`);
        assert.equal(runs.stdout.toString(), '', 'nothing was started there');

        const ran = await output;
        assert.equal(ran.code, 0, ran.stderr);
        const lines = ran.stdout.trim().split('\n');
        assert.deepEqual(
          lines.map((line) => /^tick (\d+): hi \(log \d+ bytes\)$/.exec(line)?.[1]).slice(0, -1),
          Array.from({ length: ticks }, (_, k) => String(k + 1)),
          'the program went on here, untouched, every tick once',
        );
        assert.match(lines.at(-1)!, new RegExp(`^done: ${ticks} lines`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(checkpoint, { force: true });
        await host().exec(`rm -rf ${remote}`);
      }
    });
  },
);
