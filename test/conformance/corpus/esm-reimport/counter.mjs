// Evaluated once: a second evaluation would say so, and start its state again.
console.log('counter.mjs evaluated');
const state = { count: 0 };
export const settings = { label: 'n' };
export function bump() {
  state.count++;
  return state.count;
}
export const current = () => state.count;
export default function total() {
  return state.count * 10;
}
