// ferry-lines: 2,4
// A state machine whose transition table holds closures that refer back to the table.
const log = [];
const machine = {
  state: 'idle',
  table: {
    idle: () => (log.push('start'), 'running'),
    running: () => (log.length > 3 ? 'stopping' : (log.push('work'), 'running')),
    stopping: () => (log.push('stop'), machine.table === table ? 'stopped' : 'broken'),
    stopped: () => 'stopped',
  },
};
const table = machine.table;
let step = 0;
const iv = setInterval(() => {
  step++;
  machine.state = machine.table[machine.state]();
  console.log(step, machine.state, log.join(','));
  if (step === 8) clearInterval(iv);
}, 60);
