// ferry-lines: 2,5
// Modules loaded through import() beside require(): a CommonJS program requires a package (by its
// "exports" map's `require` condition), import()s an ES module of its own before the checkpoint, and
// a second one only after it (round 5). That one imports the package under its `import` condition
// (`.js` files of a "type": "module" package, a subpath export among them) and a CommonJS file of
// the program's; each round after imports it again, and the restored program's module loader loads
// it anew (after 5 lines, with its links). Restored with the program's files deleted, or on a host
// without them, what it loads late comes from the checkpoint.
const shapes = require('./dynamic-imports/measure');

let format;
let round = 0;
async function step() {
  round++;
  format ??= (await import('./dynamic-imports/format.mjs')).format;
  let line = format(round, shapes.perimeter(round));
  if (round >= 5) {
    const late = await import('./dynamic-imports/late.mjs');
    line += ` | ${late.describe(round)}`;
  }
  console.log(line);
  if (round < 7) setTimeout(step, 40);
}
setTimeout(step, 40);
