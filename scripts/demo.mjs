// The README's main job: run the sample job, checkpoint it mid-run, stop it, and resume it from
// the checkpoint (on this machine, or on FERRY_DEMO_HOST over SSH when set), then check the
// result against a run that was never interrupted.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const ferry = join(root, 'dist', 'cli.js');
const sample = join(root, 'examples', 'sample', 'job.js');
const host = process.env.FERRY_DEMO_HOST;
const sshConfig = process.env.FERRY_SSH_CONFIG; // optional: another ssh_config than ~/.ssh/config
const say = (text) => console.log(`\x1b[1m▶ ${text}\x1b[0m`);

function runToEnd(dir) {
  return spawnSync(process.execPath, ['job.js'], { cwd: dir, encoding: 'utf8' }).stdout;
}

const reference = mkdtempSync(join(tmpdir(), 'ferry-demo-reference-'));
const work = mkdtempSync(join(tmpdir(), 'ferry-demo-'));
let job;
try {
  cpSync(sample, join(reference, 'job.js'));
  cpSync(sample, join(work, 'job.js'));
  const expected = runToEnd(reference);

  say('starting the sample job (a plain `node job.js`, not started for Ferry)');
  job = spawn(process.execPath, ['job.js'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
  let before = '';
  await new Promise((done) =>
    job.stdout.on('data', (d) => {
      process.stdout.write(d);
      before += d;
      if (before.split('\n').length > 4) done();
    }),
  );

  say(`ferry checkpoint --pid ${job.pid} --then stop`);
  const checkpoint = join(work, 'job.ferry');
  const taken = spawnSync(
    process.execPath,
    [ferry, 'checkpoint', '--pid', String(job.pid), '-o', checkpoint, '--then', 'stop'],
    { encoding: 'utf8' },
  );
  process.stdout.write(taken.stdout);
  if (taken.status !== 0) throw new Error(`checkpoint failed: ${taken.stderr}`);
  await new Promise((done) => job.on('close', done)); // its last lines, printed before it stopped, are in `before`

  say('ferry inspect job.ferry');
  process.stdout.write(spawnSync(process.execPath, [ferry, 'inspect', checkpoint], { encoding: 'utf8' }).stdout);

  rmSync(join(work, 'job.js')); // the restore needs nothing but the checkpoint (and the report it appends to)
  say(
    `ferry restore job.ferry${host ? ` --on ${host}` : ''} (the program's files are gone: the checkpoint carries them)`,
  );
  const restored = spawnSync(
    process.execPath,
    [ferry, 'restore', checkpoint, ...(host ? ['--on', host, ...(sshConfig ? ['--ssh-config', sshConfig] : [])] : [])],
    { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.stdout.write(restored.stdout);
  if (restored.status !== 0) throw new Error(`restore exited with ${restored.status}`);

  const same = before + restored.stdout === expected;
  const report = host
    ? null
    : readFileSync(join(work, 'migration-report.txt'), 'utf8') ===
      readFileSync(join(reference, 'migration-report.txt'), 'utf8');
  say(same ? 'output identical to an uninterrupted run ✓' : 'output DIFFERS from an uninterrupted run ✗');
  if (report !== null) say(report ? 'report file identical to an uninterrupted run ✓' : 'report file DIFFERS ✗');
  // Not process.exit(): it would skip the clean-up below.
  process.exitCode = same && report !== false ? 0 : 1;
} finally {
  if (job && job.exitCode === null && job.signalCode === null) job.kill('SIGKILL'); // a failed checkpoint left it running
  rmSync(reference, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
