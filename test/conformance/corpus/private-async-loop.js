// ferry-lines: 2,4
// A class whose private async method loops on an await (suspended there at the checkpoint) and
// names private members: its resumed copy is made inside the restored class's body.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
class Poller {
  #running = true;
  #polls = 0;
  #name;
  constructor(name) { this.#name = name; }
  async #loop() {
    while (this.#running) {
      await sleep(120);
      this.#polls++;
      console.log(this.#name, 'poll', this.#polls);
      if (this.#polls === 6) this.#running = false;
    }
    return this.#polls;
  }
  start() { return this.#loop(); }
}
new Poller('p1').start().then((n) => console.log('stopped after', n));
