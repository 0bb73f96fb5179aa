// The types of what Ferry reads and rebuilds without knowing its shape at compile time.

/**
 * A value of the program's heap, or one of Node's internal objects (a timer list, a stream's state, a
 * handle), that the capture agent reads and the restore rebuilds. Its shape is known by convention
 * (Node's internals, the record being decoded), not by type, so access to it is unchecked on
 * purpose. This is the one place the lint rule against `any` is lifted; each use names it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ProgramValue = any;

/**
 * A function of the program or of Node, carried as a value: Ferry passes it on, compares it and reads
 * its internals, and calls it only with the arguments its owner does.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ProgramFunction = Function;
