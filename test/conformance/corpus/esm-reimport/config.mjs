// A module of data only: no function closes over its bindings, so its importers' copies tell them.
console.log('config.mjs evaluated');
export default { rounds: 6 };
export const units = { name: 'ticks' };
