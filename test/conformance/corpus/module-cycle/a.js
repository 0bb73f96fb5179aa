const b = require('./b');
let pings = 0;
exports.ping = () => { pings++; b.record(pings); };
exports.count = () => pings;
