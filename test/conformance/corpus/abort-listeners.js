// ferry-lines: 2,5
// An AbortController the program listens on, held itself and through its signal: listeners added
// with addEventListener (once, an object with handleEvent) and the onabort attribute restore in
// their order and fire once, after the checkpoint. A controller aborted before the checkpoint keeps
// its DOMException reason and does not fire again.
const controller = new AbortController();
const { signal } = controller;
const log = [];
signal.addEventListener('abort', () => log.push('first'), { once: true });
signal.onabort = function onabort() { log.push('attribute ' + signal.reason); };
signal.addEventListener('abort', { handleEvent(event) { log.push('object ' + event.type); } });
const done = new AbortController();
done.abort();
done.signal.addEventListener('abort', () => log.push('never'));
let tick = 0;
const timer = setInterval(() => {
  tick++;
  console.log('tick', tick, signal.aborted, done.signal.aborted, done.signal.reason.name, done.signal.reason.message, log.join(','));
  if (tick === 3) controller.abort('stop');
  if (tick === 6) clearInterval(timer);
}, 100);
