'use strict';
// Checkpoint Here inside class methods that name private members: a private method paused
// mid-way, under a public method's for-of loop, under a timer. Their resumed copies are made inside
// the restored class's body, where #level, #log and #pour exist.
class Tank {
  #level = 0;
  #log = [];
  static #made = 0;
  constructor(name) { this.name = name; Tank.#made++; }
  fill(amounts) {
    for (const a of amounts) {
      this.#pour(a);
    }
    return this.#level;
  }
  #pour(a) {
    this.#level += a;
    this.#log.push(a); // @bp 2 5
  }
  get report() { return `${this.name} ${this.#level} [${this.#log}] ${Tank.#made}`; }
}
const tank = new Tank('t1');
let round = 0;
const iv = setInterval(() => {
  round++;
  const level = tank.fill([round, round * 2]);
  console.log(round, level, tank.report);
  if (round === 4) clearInterval(iv);
}, 100);
