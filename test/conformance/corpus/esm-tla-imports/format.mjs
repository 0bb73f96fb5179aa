// What the importer's top level calls: an ES module of its own, as a package's would be.
export function stamp(day, label) {
  return `2024-05-${String(day).padStart(2, '0')} ${label}`;
}
export const SEPARATOR = ' | ';
