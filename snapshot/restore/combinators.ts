// The element functions of Promise.all, allSettled and any, made again around a captured group
// { values, resolve, reject } whose pending places are holes. Each acts as V8's does: it runs once
// (the two functions of an allSettled place share that), fills its place, and the one filling the
// last place settles the combinator's promise.
import { Combinator } from '../heap/tags';

interface Group {
  values: unknown[];
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

const progress = new WeakMap<Group, { remaining: number; filled: Set<number> }>();

export function combinatorElement(combinator: Combinator, index: number, group: Group): (value: unknown) => void {
  return (value) => {
    let state = progress.get(group);
    if (!state) {
      let remaining = 0;
      for (let i = 0; i < group.values.length; i++) if (!(i in group.values)) remaining++;
      state = { remaining, filled: new Set() };
      progress.set(group, state);
    }
    if (state.filled.has(index)) return;
    state.filled.add(index);
    group.values[index] =
      combinator === Combinator.AllSettledFulfilled
        ? { status: 'fulfilled', value }
        : combinator === Combinator.AllSettledRejected
          ? { status: 'rejected', reason: value }
          : value;
    if (--state.remaining > 0) return;
    if (combinator === Combinator.AnyRejected)
      group.reject(new AggregateError(group.values, 'All promises were rejected'));
    else group.resolve(group.values);
  };
}
