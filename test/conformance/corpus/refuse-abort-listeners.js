// ferry-refuse: an AbortController whose signal has listeners, which are not carried yet
// ferry-lines: 1
// An abort controller whose signal a listener waits on: refused, by path, before anything stops.
const controller = new AbortController();
controller.signal.addEventListener('abort', () => console.log('aborted'));
console.log('waiting');
setTimeout(() => controller.abort(), 30000);
