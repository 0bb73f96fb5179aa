export const perimeter = (side) => 4 * side;
export const kind = 'the ES module build';
