// ferry-lines: 1,2,3,4
// A FinalizationRegistry with registrations: the live ones are registered again with their held
// values (an object, an array, a string, a Map) and unregister tokens, so that a target dropped
// after the restore is cleaned up with its held value and an unregistered one is not; one whose
// target was dropped before the checkpoint (the checkpoint's own garbage collection takes it, and
// its cleanup is still to come) is cleaned up once collected after the restore. The program
// collects its garbage itself (gc() from a context made with --expose-gc); each step waits for the
// cleanup before it, and prints away from the cleanups (a debugger's pause that lands in a
// cleanup job is dropped, which the oracle's stop would wait for in vain).
const v8 = require('node:v8');
const vm = require('node:vm');
function collect() {
  v8.setFlagsFromString('--expose-gc');
  vm.runInNewContext('gc')();
}
const alive = setInterval(() => {}, 1000); // cleanups come as tasks: the process waits for them
const targets = { a: { n: 'a' }, b: { n: 'b' }, c: { n: 'c' }, d: { n: 'd' } };
const token = { token: 'b' };
const registry = new FinalizationRegistry((held) => {
  const report = () => {
    console.log('cleanup', JSON.stringify(held instanceof Map ? [...held] : held));
    setTimeout(steps.shift(), 40);
  };
  setTimeout(report, 40);
});
registry.register(targets.a, 'held a');
registry.register(targets.b, { id: 'b', tags: ['x'] }, token);
registry.register(targets.c, ['c', 3]);
registry.register(targets.d, new Map([['d', registry === targets]]));
registry.register({ n: 'e' }, 'held e'); // dropped at once
const steps = [
  () => {
    console.log('unregister b', registry.unregister(token));
    delete targets.b;
    setTimeout(() => {
      delete targets.a;
      collect();
    }, 40);
  },
  () => {
    delete targets.c;
    collect();
  },
  () => {
    delete targets.d;
    collect();
  },
  () => {
    console.log('done', registry.unregister(token));
    clearInterval(alive);
  },
];
console.log('registered');
setTimeout(collect, 80);
