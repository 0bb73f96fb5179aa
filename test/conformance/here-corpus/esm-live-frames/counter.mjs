// A counter whose exported bindings it reassigns, around a callback: importers see them live.
export let count = 0;
export let last = null;
export function tick(label, report) {
  count++;
  report();
  last = label;
  return count;
}
