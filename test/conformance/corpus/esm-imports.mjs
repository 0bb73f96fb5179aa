// ferry-lines: 2,5
// ES modules: imports (named, default, namespace) of a library with private module state and a
// module-scoped main loop; restored without re-running any module's top level.
import greet, { bump, summary } from './esm-imports/lib.mjs';
import * as lib from './esm-imports/lib.mjs';
import { pad } from './esm-imports/format.mjs';

console.log('top level runs once', lib.config.label);
let rounds = 0;
const totals = new Map();
const timer = setInterval(() => {
  rounds++;
  totals.set(rounds, bump(rounds));
  console.log(pad(rounds), totals.get(rounds), greet('round'), lib.summary().length);
  if (rounds === 8) {
    clearInterval(timer);
    console.log(summary(), [...totals.values()].join('+'));
  }
}, 120);
