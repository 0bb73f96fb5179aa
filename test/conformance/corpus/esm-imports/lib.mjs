// A library module: private state behind exported functions, a class, a default export.
let calls = 0;
const history = [];
export const config = Object.freeze({ step: 3, label: 'lib' });
export function bump(by) {
  calls++;
  history.push(by);
  return calls * config.step + by;
}
export function summary() {
  return `${config.label}: ${calls} calls, history ${history.join(',')}`;
}
export class Counter {
  #count = 0;
  static made = 0;
  constructor(name) { this.name = name; Counter.made++; }
  tick() { return `${this.name}=${++this.#count}`; }
}
export default function greet(who) {
  return `hello ${who} (${calls})`;
}
