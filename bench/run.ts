// `npm run bench`: Ferry's checkpoint, restore and migration against v8.serialize/deserialize,
// measured side by side on fresh targets, for N = 1k … 1M objects (BENCH_QUICK=1: a smoke run).
// Writes bench/out/results.json, bench/out/bench.png (and .svg); a full run also refreshes
// BENCHMARKS.md and media/bench.png.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkpointSample } from './checkpoint-sample';
import { benchConfig } from './config';
import { updateDocs } from './docs';
import { hostContext, migrationSample, sshAvailable, type MigrationSample } from './migration-sample';
import { plotSvg, PLOT_SIZE } from './plot';
import { renderPng } from './png';
import {
  migrationResult,
  sizeResult,
  type BenchResults,
  type MigrationResult,
  type RunSample,
  type SizeResult,
} from './results';
import { bareNodeStart, restoreSample } from './restore-sample';
import { resultTables } from './table';
import { startTarget } from './target';
import { checkTargets, ms, programTargets } from './targets';
import { bareNodeOutput, libraryPrograms, programSample } from './programs-sample';
import { commandResult, programResult, type CommandResult, type ProgramResult } from './programs-result';
import { commandSamples } from './command-sample';
import { programsPlotSize, programsPlotSvg } from './programs-plot';
import { v8Sample } from './v8-sample';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(__dirname, 'out');

function log(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

/**
 * A sample taken again when it fails (twice at most), saying why: on a shared machine a process of
 * the run can be ended by something else, and one such must not end a run of many minutes.
 */
async function retried<T>(what: string, sample: () => Promise<T>): Promise<T> {
  for (let failures = 0; ;) {
    try {
      return await sample();
    } catch (error) {
      log(`${what}: ${(error as Error).message.split('\n')[0]}`);
      if (++failures > 2) throw error;
    }
  }
}

/** One fresh target: checkpoint it, then v8.serialize in it; then restore the checkpoint once the target is gone. */
async function runOnce(n: number): Promise<RunSample> {
  const file = path.join(OUT, `n${n}.ferry`);
  const target = await startTarget(n, { session: true });
  let sample: Pick<RunSample, 'checkpoint' | 'v8'>;
  try {
    const checkpoint = await checkpointSample(target, file);
    sample = { checkpoint, v8: await v8Sample(target) };
  } finally {
    await target.close();
  }
  try {
    return {
      ...sample,
      restoreMs: await restoreSample(file, path.join(OUT, 'restore.status')),
      bareNodeMs: await bareNodeStart(),
    };
  } finally {
    rmSync(file, { force: true });
  }
}

async function migrations(sizes: number[], repeats: number): Promise<MigrationResult[]> {
  const results: MigrationResult[] = [];
  const warmHost = hostContext();
  try {
    await migrationSample(sizes[0], warmHost.options); // opens the master and puts Ferry's files on the host
    for (const n of sizes) {
      const cold: MigrationSample[] = [];
      const warm: MigrationSample[] = [];
      for (let i = 0; i < repeats; i++) {
        const coldHost = hostContext();
        try {
          cold.push(await migrationSample(n, coldHost.options));
        } finally {
          coldHost.close();
        }
        warm.push(await migrationSample(n, warmHost.options));
      }
      results.push(migrationResult(n, cold, warm));
      log(
        `migration N=${n}: downtime cold ${ms(results.at(-1)!.cold.downtimeMs.median)}, warm ${ms(results.at(-1)!.warm.downtimeMs.median)}`,
      );
    }
  } finally {
    warmHost.close();
  }
  return results;
}

/** Each library corpus program, checkpointed and restored on fresh runs. */
async function programs(repeats: number): Promise<ProgramResult[]> {
  const results: ProgramResult[] = [];
  for (const name of libraryPrograms()) {
    const runs = [];
    for (let i = 0; i < repeats; i++)
      runs.push({
        sample: await retried(name, () => programSample(name, path.join(OUT, 'restore.status'))),
        bareNodeMs: await bareNodeOutput(),
      });
    results.push(programResult(name, runs));
    const p = results.at(-1)!;
    log(
      `${name}: stopped ${ms(p.stopMs.median)}, restore ${ms(p.restoreMs.median)} (${p.restoreRatio.median.toFixed(2)}× bare node)`,
    );
  }
  return results;
}

async function command(n: number, repeats: number): Promise<CommandResult> {
  const runs = [];
  for (let i = 0; i < repeats; i++)
    runs.push(await retried('command to stop', () => commandSamples(n, path.join(OUT, 'command.ferry'))));
  rmSync(path.join(OUT, 'command.ferry'), { force: true });
  const result = commandResult(n, runs);
  log(
    `ferry checkpoint → stopped: ${ms(result.first.toStopMs.median)} first, ${ms(result.again.toStopMs.median)} again`,
  );
  return result;
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
}

async function main(): Promise<void> {
  const config = benchConfig(process.env);
  mkdirSync(OUT, { recursive: true });
  const started = performance.now();
  // Other work on the machine shows in every figure: the 1/5/15-minute load is kept with the results.
  const loadAtStart = os.loadavg();
  const sizes: SizeResult[] = [];
  for (const n of config.sizes) {
    const runs: RunSample[] = [];
    for (let i = 0; i < config.repeats(n); i++) runs.push(await retried(`N=${n}`, () => runOnce(n)));
    sizes.push(sizeResult(n, runs));
    const s = sizes.at(-1)!;
    log(
      `N=${n}: pause ${ms(s.pauseMs.median)} vs v8.serialize ${ms(s.v8SerializeMs.median)} (${s.pauseRatio.median.toFixed(2)}×), restore ${ms(s.restoreMs.median)}, file ${s.sizeRatio.median.toFixed(2)}× v8`,
    );
  }
  const programResults = await programs(config.programRepeats);
  const commandToStop = await command(config.commandN, config.commandRepeats);
  const sshProblem = sshAvailable();
  const migration = sshProblem
    ? { skipped: sshProblem }
    : await migrations(config.migrationSizes, config.migrationRepeats).catch((error: Error) => ({
        skipped: `a migration failed: ${error.message}`,
      }));
  const results: BenchResults = {
    createdAt: new Date().toISOString(),
    quick: config.quick,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryBytes: os.totalmem(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      kernel: os.release(),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: os.loadavg(),
    },
    commit: git(['rev-parse', 'HEAD']),
    dirty: git(['status', '--porcelain', '--untracked-files=no'])
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3)),
    sizes,
    migration,
    programs: programResults,
    command: commandToStop,
    targets: [
      ...checkTargets(sizes, 'skipped' in migration ? undefined : migration),
      ...programTargets(programResults, commandToStop),
    ],
    durationMs: 0,
  };
  results.durationMs = performance.now() - started;
  writeOutputs(results);
}

/** results.json, the tables and the plots; a full run also refreshes BENCHMARKS.md and media/. */
function writeOutputs(results: BenchResults): void {
  writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const tables = resultTables(results);
  writeFileSync(path.join(OUT, 'results.md'), tables);
  process.stdout.write(`${tables}\n`);
  const png = path.join(OUT, 'bench.png');
  const pngProblem = renderPng(plotSvg(results), path.join(OUT, 'bench.svg'), png, PLOT_SIZE);
  if (pngProblem) log(pngProblem);
  const programsPng = path.join(OUT, 'programs.png');
  const programsPngProblem = renderPng(
    programsPlotSvg(results.programs),
    path.join(OUT, 'programs.svg'),
    programsPng,
    programsPlotSize(results.programs),
  );
  if (programsPngProblem) log(programsPngProblem);
  const { machine: m, commit, dirty } = results;
  const machine = `${m.cpus} × ${m.cpuModel}, Node ${m.node}, commit ${commit.slice(0, 7)}${dirty.length ? ' + uncommitted changes' : ''}, load average ${m.loadAverageAtStart[0].toFixed(1)} at the start and ${m.loadAverageAtEnd[0].toFixed(1)} at the end`;
  if (!results.quick)
    updateDocs(
      path.join(ROOT, 'BENCHMARKS.md'),
      `${tables}\nMeasured ${results.createdAt.slice(0, 10)} on ${machine}; the whole run took ${ms(results.durationMs)}.\n`,
      [
        [pngProblem ? undefined : png, path.join(ROOT, 'media', 'bench.png')],
        [programsPngProblem ? undefined : programsPng, path.join(ROOT, 'media', 'programs.png')],
      ],
    );
  log(
    `done in ${ms(results.durationMs)}: ${path.relative(ROOT, path.join(OUT, 'results.json'))}, ${path.relative(ROOT, png)}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
