// ferry-lines: 1
// A library that keeps the frames Error.prepareStackTrace is given (depd, callsites) holds V8
// CallSite objects, which V8 makes only for a stack being taken: restored as stand-ins that answer
// what the originals did (names, and the file by its base name).
const { basename } = require('node:path');

function callers() {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_, frames) => frames;
  const frames = new Error().stack;
  Error.prepareStackTrace = saved;
  return frames;
}
const frames = callers();
let ticks = 0;
const timer = setInterval(() => {
  const [own, caller] = frames;
  console.log(ticks, own.getFunctionName(), basename(own.getFileName()), own.getLineNumber(), caller.isToplevel());
  if (++ticks === 3) clearInterval(timer);
}, 20);
console.log('started', frames[0].getFunctionName(), frames.length > 1);
