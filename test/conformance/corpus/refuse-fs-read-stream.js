// ferry-lines: 1
// ferry-refuse: an fs read stream on
// A read stream keeps what it has read ahead inside Node: refused, named.
const fs = require('fs');
fs.writeFileSync('input.txt', 'line\n'.repeat(1000));
const input = fs.createReadStream('input.txt', { highWaterMark: 64 });
input.pause();
let n = 0;
const iv = setInterval(() => { console.log('tick', ++n); if (n === 30) { clearInterval(iv); input.destroy(); } }, 100);
