export function format(round, perimeter) {
  return `round ${round}: perimeter ${perimeter}`;
}
