// Checkpoint Here in an async function a timer calls again each round, after an await of import():
// the call that ran the round before is over, though V8 may still call its function object
// running (something of the loader's keeps it). Only the call on the stack is the frame's.
let round = 0;
async function tick() {
  const { basename } = await import('node:path');
  round++;
  console.log('round', round, basename('/srv/app/tick.mjs')); // @bp 2
  if (round < 4) setTimeout(tick, 10);
}
tick();
