const trim = (s) => s.trim(); // TODO handle tabs
// FIXME: unicode spaces
module.exports = { trim };
