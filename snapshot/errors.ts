// The failures Ferry reports to people, in one place. Every error class of Ferry's names its kind;
// what follows from a kind is decided here once: the `ferry` command's exit status, and whether a
// front end shows the message to the user as it is (the debug adapter's error ids: adapter/errors.ts).
export type FailureKind =
  /** The command line is wrong. */
  | 'usage'
  /** Not a checkpoint, damaged, foreign, wrongly signed, or of a version this Ferry does not read. */
  | 'bad-checkpoint'
  /** The program holds something Ferry cannot carry (or resume): nothing was written, it goes on. */
  | 'refused'
  /** The program cannot be reached, is busy, belongs to someone else, or ended. */
  | 'target'
  /** The SSH host: unreachable, no usable Node, a full disk, a run that failed there. */
  | 'remote'
  /** The user cancelled. */
  | 'cancelled'
  /** The inspector protocol failed: a bug of Ferry's, or a Node it does not know. */
  | 'internal';

export abstract class FerryError extends Error {
  abstract readonly kind: FailureKind;
}

/** The `ferry` command's exit status per kind (README: "Exit statuses"); anything else is 1. */
const EXIT_STATUS: Record<FailureKind, number> = {
  usage: 2,
  'bad-checkpoint': 3,
  refused: 1,
  target: 1,
  remote: 1,
  cancelled: 1,
  internal: 1,
};

export function exitStatusOf(error: unknown): number {
  return error instanceof FerryError ? EXIT_STATUS[error.kind] : 1;
}

/** A message the user can act on as it is (not a bug report): shown in the editor, not only logged. */
export function isForTheUser(error: unknown): boolean {
  return error instanceof FerryError && error.kind !== 'internal';
}
