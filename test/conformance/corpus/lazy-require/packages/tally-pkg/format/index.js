// Required by the package's main only on first use, and requiring a JSON file of its own.
const units = require('./units.json');
module.exports = (n) => `${n} ${n === 1 ? units.one : units.many}`;
