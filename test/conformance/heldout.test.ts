// The held-out set (issue 16's "Done when"): programs written as users write them, on popular npm
// libraries Ferry was not tuned for (test/conformance/heldout/). Each is checkpointed at idle after
// the lines its `// ferry-lines:` header names, and with a Checkpoint Here at its `// ferry-here:
// LINE[#HIT]` (through `ferry run --checkpoint-at`, as a user runs it), then restored. Each case comes
// out byte-identical, refused by name (nothing written, the program went on), or wrong (a restore that
// crashed or printed otherwise: the worst outcome, and a failure). At the end the share of identical
// cases must reach 85%; the table of verdicts is printed for heldout/RESULTS.md.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PROGRAM_ENDED } from '../../snapshot/capture/pause';
import { FerryError } from '../../snapshot/errors';
import {
  checkpointAndRestore,
  EndedBeforeStoppedError,
  restore,
  runCli,
  runUninterrupted,
  stage,
  writtenIn,
  type RunOutput,
} from '../helpers/oracle';

const HELD_OUT = join(__dirname, 'heldout');
const programs = readdirSync(HELD_OUT)
  .filter((f) => /\.(c?js|mjs)$/.test(f))
  .sort();

/** `ended`: the program ran to its end while the checkpoint waited for what it had in flight (nothing lost). */
type Outcome = 'identical' | 'refused' | 'ended' | 'wrong';
interface Verdict {
  outcome: Outcome;
  detail: string;
}
const verdicts: { program: string; point: string; verdict: Verdict }[] = [];

function header(source: string, name: string): string | undefined {
  return new RegExp(`^// ferry-${name}: (.*)$`, 'm').exec(source)?.[1];
}

/** What differs between a run and the uninterrupted one, in a line; empty when nothing does. */
function difference(expected: RunOutput, got: { stdout: string; code: number | null; files: RunOutput['files'] }) {
  if (got.stdout !== expected.stdout) {
    const at = [...got.stdout, ''].findIndex((c, i) => c !== expected.stdout[i]);
    return `output differs at ${at}: ${JSON.stringify(got.stdout.slice(Math.max(0, at - 20), at + 60))}`;
  }
  if (got.code !== expected.code) return `exit code ${got.code}, expected ${expected.code}`;
  try {
    assert.deepEqual(got.files, expected.files);
  } catch {
    return `files differ: ${Object.keys(got.files).join(',')} vs ${Object.keys(expected.files).join(',')}`;
  }
  return '';
}

async function atIdle(program: string, lines: number, expected: RunOutput): Promise<Verdict> {
  try {
    const run = await checkpointAndRestore(program, lines);
    const differs = difference(expected, { stdout: run.before + run.after, code: run.code, files: run.files });
    return differs
      ? { outcome: 'wrong', detail: `${differs}\n${run.restoreStderr}` }
      : { outcome: 'identical', detail: '' };
  } catch (error) {
    if (error instanceof FerryError && error.kind === 'refused') return { outcome: 'refused', detail: error.message };
    // Either way the program ran to its end first (after the last line it prints, on a loaded
    // machine): nothing was lost, and nothing tested.
    if (
      error instanceof EndedBeforeStoppedError ||
      /^the program ended while it was being checkpointed/.test(`${error}`)
    )
      return { outcome: 'ended', detail: error instanceof Error ? error.message : String(error) };
    return { outcome: 'wrong', detail: `checkpoint failed: ${error instanceof Error ? error.stack : String(error)}` };
  }
}

async function atBreakpoint(program: string, point: string, expected: RunOutput): Promise<Verdict> {
  const { dir, script } = stage(program);
  const checkpoint = join(dir, '..', `${basename(dir)}.ferry`);
  try {
    const where = `${basename(script)}:${point}`;
    const origin = await runCli(['run', '--checkpoint-at', where, '-o', checkpoint, '--', basename(script)], dir);
    const refusal = /^ferry: ([^]*)\nferry: no checkpoint was written at .*; the program goes on$/m.exec(origin.stderr);
    if (refusal) {
      // Refused by name (or ended first) only if the program then went on to print what it prints uninterrupted.
      const wentOn = origin.stdout === expected.stdout;
      const ended = refusal[1] === PROGRAM_ENDED;
      if (!wentOn) return { outcome: 'wrong', detail: `did not go on: ${refusal[1]}` };
      return { outcome: ended ? 'ended' : 'refused', detail: refusal[1] };
    }
    if (origin.code !== 0) return { outcome: 'wrong', detail: `ferry run failed (${origin.code}): ${origin.stderr}` };
    rmSync(script);
    const restored = await restore(checkpoint, dir);
    const files = writtenIn(dir, script);
    const differs = difference(expected, { stdout: origin.stdout + restored.stdout, code: restored.code, files });
    return differs
      ? { outcome: 'wrong', detail: `${differs}\n${restored.stderr}` }
      : { outcome: 'identical', detail: '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(checkpoint, { force: true });
  }
}

function record(program: string, point: string, verdict: Verdict): Verdict {
  verdicts.push({ program, point, verdict });
  return verdict;
}

describe('held-out real programs', () => {
  for (const file of programs) {
    const program = join(HELD_OUT, file);
    const source = readFileSync(program, 'utf8');
    const lines = (header(source, 'lines') ?? '1').split(',').map(Number);
    const here = header(source, 'here');
    it(
      `${file}: idle after ${lines.join(',')} line(s)${here ? `, here at ${here}` : ''}`,
      { timeout: 300_000 },
      async () => {
        const expected = await runUninterrupted(program);
        assert.equal(expected.code, 0, `uninterrupted run failed:\n${expected.stderr}`);
        const cases: Verdict[] = [];
        for (const n of lines) cases.push(record(file, `idle ${n}`, await atIdle(program, n, expected)));
        if (here) cases.push(record(file, `here ${here}`, await atBreakpoint(program, here, expected)));
        const wrong = cases.filter((c) => c.outcome === 'wrong').map((c) => c.detail);
        assert.deepEqual(wrong, [], `${file}: a restore that differs, or a checkpoint that failed`);
      },
    );
  }
});

after(() => {
  const share = (outcome: Outcome) => verdicts.filter((v) => v.verdict.outcome === outcome).length;
  const table = verdicts.map(
    ({ program, point, verdict }) =>
      `| ${program} | ${point} | ${verdict.outcome} | ${verdict.detail.replace(/\s+/g, ' ').replaceAll('|', '\\|').slice(0, 300)} |`,
  );
  const percent = (n: number) => `${((100 * n) / verdicts.length).toFixed(1)}%`;
  console.log(['| program | point | outcome | detail |', '|---|---|---|---|', ...table].join('\n'));
  console.log(
    `identical ${share('identical')} (${percent(share('identical'))}), refused ${share('refused')}, ` +
      `ended ${share('ended')}, wrong ${share('wrong')} of ${verdicts.length}`,
  );
  // Only a whole run judges the share: a run narrowed to a few programs prints its table, no more.
  if (verdicts.length >= 20) assert.ok(share('identical') / verdicts.length >= 0.85, 'fewer than 85% identical');
});
