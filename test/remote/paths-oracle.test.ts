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

/** The service fixture's config: it ticks until a tick reaches `ticks` (read again on every tick). */
const serviceConfig = (ticks: number) => JSON.stringify({ greeting: 'hi', ticks, formatFrom: ENDLESS });
const ENDLESS = 1e9;

/**
 * The service fixture copied into `dir` and started there, ticking until its config is lowered: the
 * test ends it by an event of its own, not by a number of ticks it hopes outlasts the migration.
 */
async function launchService(dir: string) {
  for (const entry of ['service.js', 'service']) cpSync(join(FIXTURES, entry), join(dir, entry), { recursive: true });
  writeFileSync(join(dir, 'service', 'service.json'), serviceConfig(ENDLESS));
  const launched = await launchWithInspector({ program: join(dir, 'service.js'), cwd: dir, stdio: 'pipe' });
  return { launched, output: collect(launched.child) };
}

/** The tick numbers a run of the service printed, in order. */
const ticked = (text: string) => [...text.matchAll(/^tick (\d+): hi/gm)].map((match) => Number(match[1]));

/** 1, 2, … up to the last tick printed: every tick once. */
const everyTickTo = (ticks: number[]) => Array.from({ length: ticks.at(-1) ?? 0 }, (_, k) => k + 1);

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
      try {
        const { launched, output } = await launchService(dir);
        // Another run's log where this program's log goes on the host.
        await host().exec(`mkdir -p ${dir}/logs && echo 'another run' > ${dir}/logs/service.log`);

        const refused = await ferry(['migrate', '--inspect', launched.webSocketUrl, ...onHost(HOST, remote)]);
        assert.equal(refused.code, 70, refused.stderr);
        assert.match(refused.stderr, /changed since the checkpoint: .*logs\/service\.log .*--overwrite/);
        assert.equal((await host().exec(`cat ${dir}/logs/service.log`)).stdout.toString(), 'another run\n');

        // Once it ticks there, its config there tells it to end.
        let told: Promise<unknown> | undefined;
        const endThere = (soFar: string) => {
          if (!told && ticked(soFar).length)
            told = host().exec(`printf '%s' '${serviceConfig(0)}' > ${dir}/service/service.json`);
        };
        const migrate = ['migrate', '--inspect', launched.webSocketUrl, ...onHost(HOST, remote), '--overwrite'];
        const moved = await ferry([...migrate, '--follow'], process.env, undefined, endThere);
        await told;
        assert.equal(moved.code, 0, moved.stderr);
        const here = await output;
        assert.equal(here.signal, 'SIGKILL', 'the origin was ended once the host had it');
        const ticks = [...ticked(here.stdout), ...ticked(moved.stdout)];
        assert.deepEqual(ticks, everyTickTo(ticks), 'every tick once, here then there');
        // The checkpoint's copy of the log was put back, and the program went on writing it there.
        const log = (await host().exec(`cat ${dir}/logs/service.log`)).stdout.toString();
        assert.equal(log, ticks.map((tick) => `hi ${tick}\n`).join(''));
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
      try {
        const { launched, output } = await launchService(dir);

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

        writeFileSync(join(dir, 'service', 'service.json'), serviceConfig(0)); // it ends at its next tick
        const ran = await output;
        assert.equal(ran.code, 0, ran.stderr);
        const lines = ran.stdout.trim().split('\n');
        const ticks = ticked(ran.stdout);
        assert.equal(ticks.length, lines.length - 1, 'a tick on every line but the last');
        assert.deepEqual(ticks, everyTickTo(ticks), 'the program went on here, untouched, every tick once');
        assert.match(lines.at(-1)!, new RegExp(`^done: ${ticks.length} lines`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(checkpoint, { force: true });
        await host().exec(`rm -rf ${remote}`);
      }
    });
  },
);
