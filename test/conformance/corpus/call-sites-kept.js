// ferry-lines: 1,3
// V8 CallSites a program keeps (depd's and http-errors' shape: the site where a deprecated API was
// wrapped, read when it is first called): restored as stand-ins answering what the originals did.
const { basename } = require('node:path');

function siteOfCaller(depth) {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_, stack) => stack;
  const holder = {};
  Error.captureStackTrace(holder, siteOfCaller);
  const stack = holder.stack;
  Error.prepareStackTrace = prepare;
  return stack[depth];
}

function deprecate(fn, message) {
  const site = siteOfCaller(1);
  let warned = false;
  return function deprecated(...args) {
    if (!warned) {
      warned = true;
      const where = `${basename(site.getFileName())}:${site.getLineNumber()}:${site.getColumnNumber()}`;
      console.log(`deprecated ${message} (wrapped at ${where}, ${site.getFunctionName() ?? 'top level'}, ${site.isNative()})`);
    }
    return fn.apply(this, args);
  };
}

function makeApi() {
  return {
    add: deprecate((a, b) => a + b, 'add(): use sum()'),
    twice: deprecate((x) => 2 * x, 'twice()'),
  };
}
const api = makeApi();
const calls = [() => api.add(1, 2), () => api.twice(4), () => api.add(5, 6), () => api.twice(1)];
let n = 0;
const timer = setInterval(() => {
  console.log('call', n, calls[n]());
  if (++n === calls.length) clearInterval(timer);
}, 10);
