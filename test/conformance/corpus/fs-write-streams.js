// ferry-lines: 2,5
// fs write streams: an appending log, one writing from a start offset into an existing file, and
// a listener of the program's own; after restore they write on where they were, and the files end
// up identical.
const fs = require('fs');
fs.writeFileSync('table.txt', '#'.repeat(40));
const log = fs.createWriteStream('stream.log', { flags: 'a' });
const table = fs.createWriteStream('table.txt', { flags: 'r+', start: 4 });
let finished = 0;
log.on('finish', () => { finished++; console.log('log finished after', log.bytesWritten, 'bytes'); });
let n = 0;
// Counts are printed once both writes are done: what a write has done by a given instant is the
// file system's timing, not the program's state. The next tick is armed only then, so no tick's
// writes can overtake another's however loaded the machine is.
function tick() {
  const k = ++n;
  log.write(`tick ${k}\n`, () => table.write(String(k % 10), () => {
    console.log('wrote', k, 'log bytes', log.bytesWritten, 'table at', table.pos);
    if (k === 8) {
      log.end('end\n');
      table.end();
    } else {
      setTimeout(tick, 300);
    }
  }));
}
setTimeout(tick, 300);
