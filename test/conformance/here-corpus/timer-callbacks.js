'use strict';
// Checkpoint Here inside timer callbacks, where `this` is the Timeout: an interval that keeps
// repeating after the restore and clears itself through `this`, then a timeout that refreshes
// itself through `this` once. One timer at a time: the order is the program's, not a race.
let ticks = 0;
let refreshed = 0;

function onTick(label) {
  ticks++;
  const line = `${label} tick ${ticks} ref=${this.hasRef()}`; // @bp 2
  console.log(line);
  if (ticks < 4) return;
  clearInterval(this);
  setTimeout(later, 5, 'once');
}

function later(word) {
  refreshed++;
  console.log(`later ${word} ${refreshed} ${this.constructor.name}`); // @bp 1 2
  if (refreshed === 1) this.refresh();
  else console.log('timers done');
}

setInterval(onTick, 10, 'every');
