// Loaded at the start; what it requires in run() is loaded on first use, after the checkpoint.
const tally = require('tally-pkg');

exports.run = (round) => {
  if (round < 4) return `round ${round}: warming up (${tally.count(round)})`;
  const { describe } = require('./late');
  const table = require('./table.json');
  return `round ${round}: ${describe(table[round % table.length])}, ${tally.total(round)}`;
};
