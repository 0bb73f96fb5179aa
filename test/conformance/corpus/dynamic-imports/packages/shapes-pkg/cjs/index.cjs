exports.perimeter = (side) => 4 * side;
exports.kind = 'the CommonJS build';
