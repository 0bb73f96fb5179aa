// ferry-lines: 1,3
// A pending promise the walk reaches (through a global) before anything else has asked for the heap
// snapshot: its `then` reactions are read from that snapshot all the same, and run after restore.
let release;
const gate = new Promise((resolve) => { release = resolve; });
gate.then((v) => console.log('first reaction', v));
gate.then((v) => console.log('second reaction', v * 2));
globalThis.held = gate;
let ticks = 0;
const iv = setInterval(() => {
  ticks++;
  console.log('tick', ticks);
  if (ticks === 5) { release(21); clearInterval(iv); }
}, 100);
