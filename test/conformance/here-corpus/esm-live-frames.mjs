// Checkpoint Here across ES modules with live bindings: paused in the importer's callback, with
// the exporter's frame (which goes on to reassign its exports) and the importer's timer below it;
// after the restore the resumed frames and later calls on both sides see the same bindings.
import { count, last, tick } from './esm-live-frames/counter.mjs';
import * as counter from './esm-live-frames/counter.mjs';

let round = 0;
const timer = setInterval(() => {
  round++;
  tick(`r${round}`, () => {
    console.log('inside', round, count, last, counter.count); // @bp 2 4
  });
  console.log(round, count, last, counter.count, counter.last);
  if (round === 5) clearInterval(timer);
}, 110);
