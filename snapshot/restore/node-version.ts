// What a checkpoint needs of the Node that restores it. Its built-ins are named by path and found
// again here (heap/builtins.ts); a newer Node may lack some (Node 23 removed util.isBoolean and
// its kind). They are looked up before anything is placed or run, and every missing one is named:
// the program would otherwise stop with a TypeError the first time it calls one.
import { readablePath, resolveBuiltinPath } from '../heap/builtins';
import { K } from '../heap/tags';
import type { HeapRecord } from '../heap/decoder';

export function refuseBuiltinsMissingHere(
  records: HeapRecord[],
  takenOn: string,
  getBuiltin: (name: string) => unknown,
): void {
  const missing = [
    ...new Set(
      records.flatMap((record) =>
        (record.kind === K.Builtin || record.kind === K.NodeFactory) && !resolves(record.path, getBuiltin)
          ? [readablePath(record.path)]
          : [],
      ),
    ),
  ];
  if (missing.length === 0) return;
  throw new Error(
    `this checkpoint was taken on Node ${takenOn} and uses built-ins that this Node (${process.version}) does not have: ${missing.join(', ')}. ` +
      `Restore it with Node ${takenOn.split('.')[0]} (on a host: --ship-node copies this machine's Node there)`,
  );
}

function resolves(path: string, getBuiltin: (name: string) => unknown): boolean {
  try {
    resolveBuiltinPath(path, getBuiltin);
    return true;
  } catch {
    return false;
  }
}
