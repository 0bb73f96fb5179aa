// TODO remove after 2.0
// TODO: and its tests
exports.old = true;
