// The real-program tables of a result: each library corpus program's stop and restore, and the
// CLI's time from its start to the program stopped.
import type { BenchResults } from './results';
import type { CommandResult } from './programs-result';
import { count, r, t, table } from './table';

function commandRows(command: CommandResult): string[][] {
  const row = (label: string, part: CommandResult['first']) => [
    label,
    t(part.toStopMs),
    Object.entries(part.phases)
      .map(([phase, s]) => `${phase} ${Math.round(s.median)}`)
      .join(', '),
    t(part.stopMs),
  ];
  return [row('first (installs the agent)', command.first), row('again (agent installed)', command.again)];
}

export function programTables(results: BenchResults): string[] {
  const programs = results.programs;
  return [
    `**Real programs**: each program of the library corpus (\`test/conformance/libraries/\`), ${programs[0]?.stopMs.runs ?? 0} fresh run(s) each, checkpointed after its first \`ferry-lines\` point (stopped at once, taken at the next idle point, \`--then continue\`), then restored from the file alone. "heap snapshot" is V8's, when something in the program needs one (what, in parentheses); "other" is the stop less the walk and the snapshot.`,
    '',
    table(
      [
        'program',
        'objects',
        'functions',
        'stop',
        'walk',
        'heap snapshot',
        'other',
        'restore → running',
        'first output',
        'bare node → output',
        'restore / bare node',
      ],
      programs.map((p) => [
        p.name,
        count(p.objects),
        String(p.functions),
        t(p.stopMs),
        t(p.walkMs),
        p.heapSnapshotFor ? `${t(p.heapSnapshotMs)} (${p.heapSnapshotFor})` : '–',
        t(p.otherMs),
        t(p.restoreMs),
        t(p.firstOutputMs),
        t(p.bareNodeMs),
        r(p.restoreRatio),
      ]),
    ),
    '',
    `**Command to stop**: \`ferry checkpoint --inspect URL --then continue\` on a fresh workload target (N=${count(results.command.n)}) whose inspector is open, twice; the phases are the manifest's, from the CLI process's start.`,
    '',
    table(
      ['checkpoint', 'command → stopped', 'phases before the stop (median ms)', 'stop'],
      commandRows(results.command),
    ),
    '',
  ];
}
