// Exported bindings this module reassigns: its importers see every change (live bindings).
export let count = 0;
export let last = null;
let hidden = 0;
export function tick(label) {
  count++;
  last = label;
  return ++hidden;
}
export function reset() {
  count = 0;
}
export { count as total };
export const fixed = 'constant';
