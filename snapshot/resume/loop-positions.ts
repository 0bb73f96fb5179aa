// Recovering where a for-in / for-of loop was, for `$ferry.loops`. Only honest cases: the
// position must follow from what is visible (the loop variable), never from a guess.

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
  const first = array.findIndex((x) => Object.is(x, current));
  if (first < 0 || array.findIndex((x, i) => i > first && Object.is(x, current)) >= 0) {
    throw new Error(
      'the array position of a for-of loop cannot be known: its current element is absent or occurs more than once',
    );
  }
  return array.slice(first + 1);
}
