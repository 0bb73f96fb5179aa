// ferry-lines: 1,3
// zlib work under way at the checkpoint: zlib.deflateRaw(buffer, cb) runs on the thread pool and Node
// lists it nowhere (no handle, no request), so its callback is held only by the native side. The
// checkpoint waits for it, as yazl's users need (a zip entry compressed while the next is added).
const zlib = require('zlib');
const data = Buffer.alloc(8 << 20);
let seed = 7;
for (let i = 0; i < data.length; i++) data[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
let round = 0;
function next() {
  round++;
  console.log('deflating', round);
  zlib.deflateRaw(data.subarray(0, data.length - round), (err, out) => {
    console.log('deflated', round, out.length, zlib.inflateRawSync(out).length);
    // Rounds enough after the checkpoint's line that one whose idle gap it misses under load
    // (it then waits for that round's deflate) still leaves another before the program ends.
    if (round < 6) setTimeout(next, 50);
    else console.log('done');
  });
}
next();
