// Error stacks after a Checkpoint Here inside ES module functions read as in an uninterrupted
// run: the resumed frames by name, file URL, line and column (shown by base name), and a class
// method compiled after the restore.
class Meter {
  constructor(unit) {
    this.unit = unit;
  }

  read(value) {
    return new Error(`${value}${this.unit}`).stack;
  }
}

const meter = new Meter('kg');
const shown = (line) => line.trim().replace(/(?:file:\/\/)?\/[^\s()]*\//g, '');
const top = (stack, depth) => stack.split('\n').slice(1, 1 + depth).map(shown).join(' | ');

function weigh(value) {
  const stack = new Error(`weigh ${value}`).stack; // @bp 2
  console.log(`weighed ${value}: ${top(stack, 2)}`);
  console.log(`  read: ${top(meter.read(value), 3)}`);
  return value * 2;
}

function weighAll(values) {
  let sum = 0;
  sum += weigh(values[0]);
  sum += weigh(values[1]);
  sum += weigh(values[2]);
  return sum;
}

setTimeout(function start() {
  console.log('sum', weighAll([1, 2, 3]));
}, 5);
