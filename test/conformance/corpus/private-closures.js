// ferry-lines: 2,4
// Closures written inside a class that name its private members: a timer arrow calling a private
// method, a listener updating a private field, a nested function using `#x in o` and a static
// private method. They are re-created inside their class's body, where those names exist.
const { EventEmitter } = require('node:events');
class Meter {
  #count = 0;
  #timer;
  #bus;
  static #made = 0;
  static #format(n) { return `<${n}>`; }
  constructor(bus) {
    this.#bus = bus;
    Meter.#made++;
    bus.on('add', (n) => { this.#count += n; });
  }
  start() {
    let rounds = 0;
    const isMeter = function (o) { return #count in o; };
    this.#timer = setInterval(() => {
      rounds++;
      this.#tick(rounds, isMeter(this), isMeter({}));
    }, 70);
  }
  #tick(rounds, yes, no) {
    this.#bus.emit('add', rounds);
    console.log(rounds, Meter.#format(this.#count), yes, no, Meter.#made);
    if (rounds === 6) clearInterval(this.#timer);
  }
}
new Meter(new EventEmitter()).start();
