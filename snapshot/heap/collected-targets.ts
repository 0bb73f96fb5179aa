// Weak targets the program had lost before the checkpoint: a WeakRef whose target was collected,
// a FinalizationRegistry registration whose cleanup had not run yet. JavaScript cannot make a
// WeakRef that is already empty, so the restore makes each on a fresh object nothing holds, and
// collects all of them at once when the heap is rebuilt (before any of the program runs).
import type { ProgramValue } from './program-value';

/** The fresh objects made so far, each seen through a WeakRef of ours to check it went. */
const toCollect: Array<WeakRef<object>> = [];

/** A fresh object that nothing will hold, collected by collectTargets(). */
export function targetToCollect(): object {
  const target = {};
  toCollect.push(new WeakRef(target));
  return target;
}

/**
 * Collects what targetToCollect() made: a WeakRef keeps its target until the current job ends, so
 * the job is ended first (a microtask checkpoint of a context of our own clears what WeakRefs keep),
 * then a full garbage collection runs. Throws when one survived.
 */
export function collectTargets(getBuiltin: (name: string) => ProgramValue): void {
  if (toCollect.length === 0) return;
  const vm = getBuiltin('vm');
  vm.runInContext('', vm.createContext({}, { microtaskMode: 'afterEvaluate' }));
  garbageCollector(vm, getBuiltin('v8'))();
  const survivors = toCollect.filter((ref) => ref.deref() !== undefined).length;
  toCollect.length = 0;
  if (survivors > 0)
    throw new Error(`${survivors} weak target(s) the program had lost before the checkpoint could not be lost again`);
}

/** V8's gc(): the program's own when it runs with --expose-gc, else one taken from a context made with it (and the flag put back). */
function garbageCollector(vm: ProgramValue, v8: ProgramValue): () => void {
  const own = (globalThis as ProgramValue).gc;
  if (typeof own === 'function') return own;
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc');
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}
