// ferry-lines: 2,4
// An ES module package reassigning an exported binding (marked's `defaults`, changed by
// setOptions), imported by package name by a module that uses only its functions: no importer reads
// the binding itself, so it is carried; after the restore the package's functions still see every
// change they make to it.
import { render } from './esm-package-live/app.mjs';

let round = 0;
const timer = setInterval(() => {
  round++;
  console.log(render(round));
  if (round === 6) clearInterval(timer);
}, 100);
