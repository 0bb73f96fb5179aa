// ferry-refuse: an fs write stream on
// An fs stream keeps state (buffered writes, its position, callbacks) inside Node: refused, named.
const fs = require('fs');
const out = fs.createWriteStream('stream.log');
out.write('first\n');
console.log('writing');
setInterval(() => out.write('tick\n'), 1000);
