// ferry-lines: 2,4
// Idle with async arrows of a class's method suspended at their awaits, the class having private
// members over a plain constructor function: each arrow goes on with its method's `this` (not
// its receiver, undefined), and the restore makes the instance without running that
// function's body again (it counts the instances made).
function Base(label) {
  this.label = label;
  Base.made = (Base.made ?? 0) + 1;
}
Base.prototype.log = function log(line) {
  console.log(`[${this.label}] ${line}`);
};

class Batcher extends Base {
  #batches = [];
  #flushed = 0;

  schedule(items, ms) {
    const flush = async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      this.#flushed += items.length;
      this.log(`flushed ${items.join('+')}: ${this.#flushed} in all, ${Base.made} made`);
      this.#batches.shift();
      this.#start();
    };
    this.#batches.push(flush);
    if (this.#batches.length === 1) this.#start();
  }

  #start() {
    const [next] = this.#batches; // called as a plain function: its receiver is undefined
    if (next) next();
  }
}

const batcher = new Batcher('out');
batcher.schedule(['a', 'b'], 15);
batcher.schedule(['c'], 10);
batcher.schedule(['d', 'e', 'f'], 12);
batcher.schedule(['g'], 8);
batcher.schedule(['h', 'i'], 9);
