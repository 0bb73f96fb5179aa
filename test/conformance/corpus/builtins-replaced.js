// ferry-lines: 2,4
// ferry-refused-restoring-on: 22 module:fs.opendir (get)
// What graceful-fs (under fs-extra) does to Node's built-ins: it replaces `fs.closeSync` and
// `process.cwd` with its own functions, keeping Node's in its closures, copies fs's lazy getters
// before they turn into values, and reads fs's stream classes and `fs.promises` through getters.
// Node's functions are named by where a fresh process has them, the program's own are set again on
// the restored built-ins: a restore that lost them would count no closes and read a stale cwd.
// Node 22 made fs's lazy getters plain values: the getter copied from Node 20's fs has no
// counterpart there, and a restore on 22 or later refuses by name before the program goes on.
const fs = require('fs');
const path = require('path');
const nodeCloseSync = fs.closeSync;
const nodeCwd = process.cwd;
let closes = 0;
let cached = null;
fs.closeSync = function closeSync(fd) {
  closes++;
  return nodeCloseSync.call(fs, fd);
};
process.cwd = function cwd() {
  if (cached === null) cached = nodeCwd.call(process);
  return cached;
};
const copied = Object.getOwnPropertyDescriptor(fs, 'opendir'); // its getter and setter, before use
const NodeReadStream = fs.ReadStream;
function ReadStream(file, options) {
  return NodeReadStream.call(this, file, options);
}
ReadStream.prototype = Object.create(NodeReadStream.prototype); // a prototype, not a stream
const promises = fs.promises;
fs.opendirSync(__dirname).closeSync(); // turns fs.opendirSync into a value
const file = path.join(__dirname, 'replaced.txt');
let step = 0;
const timer = setInterval(() => {
  step++;
  fs.writeFileSync(file, `step ${step}\n`);
  fs.closeSync(fs.openSync(file, 'r'));
  const same = process.cwd() === cached && fs.closeSync !== nodeCloseSync;
  const kinds = [typeof copied.get, typeof promises.readFile, ReadStream.prototype instanceof NodeReadStream];
  console.log(`step ${step}: ${closes} closes, cwd kept ${same}, ${kinds.join(' ')}`);
  if (step === 6) clearInterval(timer);
}, 20);
