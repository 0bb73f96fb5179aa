// The package's main, loaded at the start; its formatter is required on first use of total().
let counted = 0;
exports.count = (n) => (counted += n);
exports.total = (n) => require('../format')(counted + n);
