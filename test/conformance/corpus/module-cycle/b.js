const a = require('./a'); // partially loaded at this point: the cycle
const seen = [];
module.exports = { record: (n) => seen.push(n), describe: () => `b saw ${seen.join('+')} (a has ping: ${typeof a.ping})` };
