'use strict';
// Checkpoint Here inside an rxjs scan accumulator, with two like pipelines: their interval
// observables' closures hold equal values (so contexts are told apart by the heap snapshot), and
// so do their scan operators' (scanInternals: the accumulator, the seed). The paused frames'
// contexts are the ones the stack holds. After the restore each pipeline goes on with its own sum.
const { interval } = require('rxjs');
const { map, scan, take } = require('rxjs/operators');

function add(sum, v) {
  return sum + v; // @bp 1 4
}
const one = interval(20).pipe(take(4), map((n) => n + 1), scan(add, 0));
const two = interval(20).pipe(take(4), map((n) => (n + 1) * 10), scan(add, 0));
one.subscribe((total) => console.log('one', total));
two.subscribe((total) => console.log('two', total));
