// Where a restored program runs on a host. By default in the directory it ran in on this machine,
// at the same absolute path (made there if missing), so every path it holds (`__dirname`, an output
// directory joined to `process.cwd()`, a config path) names its files there too. With `--cwd DIR`,
// in DIR, the paths it holds under its old directory rewritten to DIR by the restore
// (restore/paths.ts). Asked of the host before anything runs, and, for a migration, before the
// program is frozen: a directory the remote user can neither use nor make is refused with `--cwd`
// suggested, while the program still runs here untouched.
import path from 'node:path';
import { RemoteError } from './errors';
import type { RemoteSession } from './session';
import { shPath, shScript } from './shell';

export interface Placement {
  /** The working directory on the host, absolute. */
  dir: string;
  /** The program's working directory on this machine (the checkpoint's). */
  original: string;
  /** The user chose `dir` (--cwd); otherwise it is `original`. */
  mapped: boolean;
}

/**
 * Checks on the host that the program can run in `chosen` (--cwd: absolute, `~/`, or relative to
 * the remote user's home), else in `original`: the directory is there and writable, or the nearest
 * directory above it that is there is writable.
 */
export async function placeOnHost(session: RemoteSession, original: string, chosen?: string): Promise<Placement> {
  const script = [
    `d=${shPath(chosen ?? original)}`,
    'case "$d" in /*) ;; *) d="$HOME/$d" ;; esac',
    'p="$d"; while [ ! -e "$p" ]; do p=$(dirname "$p"); done',
    'printf "dir=%s\\nuser=%s\\n" "$d" "$(id -un)"',
    '[ -d "$p" ] && [ -w "$p" ] && [ -x "$p" ] && echo ok=1 || printf "blocked=%s\\n" "$p"',
  ].join('\n');
  const result = await session.host.exec(shScript(script));
  const facts = new Map(
    result.stdout
      .toString('utf8')
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
  const said = facts.get('dir');
  if (result.code !== 0 || !said)
    throw new RemoteError(
      'ssh',
      `cannot look at ${session.host.label}: ${result.stderr.trim() || `exit ${result.code}`}`,
    );
  const dir = path.posix.resolve(said);
  const blocked = facts.has('blocked') ? path.posix.resolve(facts.get('blocked')!) : undefined;
  if (blocked !== undefined) {
    const user = facts.get('user') || 'the remote user';
    const why =
      blocked === dir
        ? `it is not a directory ${user} can write to`
        : `${user} cannot make it there (${blocked} is not writable)`;
    throw new WorkingDirectoryRefused(session.host.label, { dir, original, mapped: chosen !== undefined }, why);
  }
  return { dir, original, mapped: dir !== original };
}

/** The host cannot give the program its working directory. The message says what to do at the command line; `explain` says it otherwise (VS Code). */
export class WorkingDirectoryRefused extends RemoteError {
  constructor(
    readonly host: string,
    readonly placement: Placement,
    readonly why: string,
  ) {
    super('not-writable', '');
    this.message = this.explain(
      placement.mapped
        ? ''
        : `Give --cwd DIR to run it in DIR on ${host} (the paths it holds under ${placement.original} are rewritten to DIR)`,
    );
  }

  /** The refusal, with `remedy` (how to name another directory) after it. */
  explain(remedy: string): string {
    const where = this.placement.mapped
      ? `in ${this.placement.dir}, the directory asked for`
      : `in ${this.placement.dir}, the directory it runs in here`;
    return `cannot run the program on ${this.host} ${where}: ${this.why}${remedy ? `. ${remedy}` : ''}`;
  }
}

/** What Ferry tells the user about where the program runs. */
export function describePlacement(placement: Placement, host: string): string {
  return placement.mapped
    ? `the program runs on ${host} in ${placement.dir}, not at its own path: the paths it holds under ${placement.original} now name ${placement.dir}`
    : `the program runs on ${host} in ${placement.dir}, at the same path as here`;
}
