// Recovering where a for-in / for-of loop was, for `$ferry.loops`. Only honest cases: the
// position must follow from what is visible (the loop variable), never from a guess.
import type { Node } from './ast';
import type { ArrayIteration } from '../format/sections';

/** Keys a for-in over `object` has still to visit after `current` (for-in keys are unique). */
export function remainingForInKeys(object: object, current: string): string[] {
  const keys: string[] = [];
  for (const k in object) keys.push(k);
  const at = keys.indexOf(current);
  if (at < 0) throw new Error(`the for-in key ${JSON.stringify(current)} is no longer a key of the object`);
  return keys.slice(at + 1);
}

/**
 * Elements a for-of over `array` has still to produce after the one equal to `current`; the
 * position is known only if that element occurs exactly once (by identity or primitive value).
 */
export function remainingArrayItems<T>(array: readonly T[], current: T): T[] {
  if (!Array.isArray(array))
    throw new Error(
      `the loop iterates ${Object.prototype.toString.call(array).slice(8, -1)}, not an array: its position cannot be read`,
    );
  const first = array.findIndex((x) => Object.is(x, current));
  if (first < 0 || array.findIndex((x, i) => i > first && Object.is(x, current)) >= 0) {
    throw new Error(
      'the array position of a for-of loop cannot be known: its current element is absent or occurs more than once',
    );
  }
  return array.slice(first + 1);
}

/**
 * A for-of over `ARRAY.entries()`, `.keys()` or `.values()`: `array` is ARRAY's text (read again on
 * the frame). Its position is told by its `const` variable: `index` names the index (`i` of
 * entries' `[i, x]`, keys' `k`), `element` the element (`x`, values' `x`); neither when the
 * variable cannot tell it (a `let` the body may assign, an object pattern).
 */
export interface ArrayLoopPosition {
  array: string;
  iteration: ArrayIteration;
  index?: string;
  element?: string;
}

/** The loop's array iteration and the variables that tell its position, when it iterates `X.entries()` (keys, values). */
export function arrayLoopPosition(right: Node, left: Node, source: string): ArrayLoopPosition | undefined {
  if (right.type !== 'CallExpression' || right.arguments.length > 0 || right.optional) return undefined;
  const callee = right.callee;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.optional) return undefined;
  if (callee.property.type !== 'Identifier' || callee.object.type === 'Super') return undefined;
  const iteration = callee.property.name;
  if (iteration !== 'entries' && iteration !== 'keys' && iteration !== 'values') return undefined;
  const loop = { array: source.slice(callee.object.start, callee.object.end), iteration } as const;
  // A `let` or `var` variable may have been assigned in the body: only `const` tells the position.
  if (left.type !== 'VariableDeclaration' || left.kind !== 'const') return loop;
  const target = left.declarations[0].id;
  const name = (n: Node | null | undefined) => (n?.type === 'Identifier' ? n.name : undefined);
  if (iteration === 'values') return { ...loop, element: name(target) };
  if (iteration === 'keys') return { ...loop, index: name(target) };
  // `[i, x]`: the index, and the element checked against it; `[, x]`: the element alone.
  if (target.type !== 'ArrayPattern' || target.elements.length > 2) return loop;
  const [index, element] = target.elements.map((e) => (e === null ? undefined : (name(e) ?? '')));
  if (index === '' || element === '') return loop;
  return { ...loop, index, element };
}

/** The loop variable's value as arrayLoopResumeIndex takes it: an expression on the frame, or undefined if none tells it. */
export function currentOfArrayLoop({ iteration, index, element }: ArrayLoopPosition): string | undefined {
  if (iteration === 'values') return element;
  if (iteration === 'keys') return index;
  return index || element ? `[${index ?? 'undefined'}, ${element ?? 'undefined'}]` : undefined;
}

/**
 * Where the for-of goes on in `array` (the index after the current one), run on the paused frame:
 * `current` is the loop variable (`[index, element]` for entries(), with either `undefined` when
 * the pattern leaves it out). The iterator must be the array's own.
 */
export function arrayLoopResumeIndex(array: unknown[], iteration: ArrayIteration, current: unknown): number {
  if (!Array.isArray(array) || array[iteration] !== Array.prototype[iteration])
    throw new Error(`the loop does not iterate an array's own ${iteration}(): its position cannot be read`);
  const unique = (element: unknown) => {
    const first = array.findIndex((x) => Object.is(x, element));
    const again = array.findIndex((x, i) => i > first && Object.is(x, element));
    if (first < 0 || again >= 0)
      throw new Error(
        'its current element is absent from the array or occurs more than once: its position cannot be known',
      );
    return first;
  };
  if (iteration === 'values') return unique(current) + 1;
  const [index, element] = iteration === 'keys' ? [current, undefined] : (current as [unknown, unknown]);
  if (index === undefined) return unique(element) + 1;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= array.length)
    throw new Error(`its index ${String(index)} is not one of the array's: its position cannot be known`);
  if (iteration === 'entries' && element !== undefined && !Object.is(array[index], element))
    throw new Error(`the element at its index ${index} is no longer its current element: its position cannot be known`);
  return index + 1;
}
