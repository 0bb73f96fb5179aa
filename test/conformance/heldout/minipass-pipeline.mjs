// ferry-lines: 2,4
// minipass (ES module): a pipeline of Minipass streams (an upper-casing transform subclass into a
// collector) written one line per timer step; buffered state crosses the checkpoint.
import { Minipass } from 'minipass';
import { writeFileSync } from 'node:fs';
class Upper extends Minipass {
  constructor() { super({ encoding: 'utf8' }); this.lines = 0; }
  write(chunk, enc, cb) { this.lines++; return super.write(String(chunk).toUpperCase(), enc, cb); }
}
const upper = new Upper();
const sink = new Minipass({ encoding: 'utf8' });
let collected = '';
upper.pipe(sink);
sink.on('data', (d) => { collected += d; console.log('got', JSON.stringify(d), 'lines', upper.lines); });
sink.on('end', () => { writeFileSync('upper.txt', collected); console.log('end', collected.length); });
const words = ['alpha\n', 'bravo\n', 'charlie\n', 'delta\n', 'echo\n', 'foxtrot\n'];
function next() {
  upper.write(words.shift());
  if (words.length) setTimeout(next, 20);
  else upper.end();
}
setTimeout(next, 20);
