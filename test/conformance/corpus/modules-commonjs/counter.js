let count = 0;
let loads = (global.loads = (global.loads || 0) + 1);
exports.bump = () => { count += 10; };
exports.value = () => `${count} (loaded ${loads} time(s))`;
