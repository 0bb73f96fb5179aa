// ferry-lines: 2
// A class extending DOMException (as fetch polyfills and web-API shims write): its prototype is an
// object whose parent is DOMException.prototype but which is no DOMException itself, so the
// DOMException getters must not be read on it. Instances are made after the restore.
class TimeoutError extends DOMException {
  constructor(ms) { super(`timed out after ${ms} ms`, 'TimeoutError'); this.ms = ms; }
  get summary() { return `${this.name}: ${this.message} (${this.ms})`; }
}
const plain = new DOMException('plain', 'AbortError');
let step = 0;
const iv = setInterval(() => {
  step++;
  const e = new TimeoutError(step * 10);
  console.log(step, e.summary, e instanceof DOMException, plain.name, plain.message, plain.code);
  if (step === 4) clearInterval(iv);
}, 50);
