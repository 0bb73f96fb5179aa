// ferry-refuse: a V8 CallSite
// A library that keeps the frames Error.prepareStackTrace is given (depd, callsites) holds V8
// CallSite objects, which nothing can make again: refused by name (not as two dozen native
// functions of their prototype).
function callers() {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_, frames) => frames;
  const frames = new Error().stack;
  Error.prepareStackTrace = saved;
  return frames;
}
const frames = callers();
setInterval(() => {
  if (frames.length < 0) console.log(frames[0].getFileName());
}, 20);
console.log('started', frames[0].getFunctionName());
