// ferry-lines: 1,2,3
// A module whose top level alone uses what it imports (no function of its own closes over the
// module scope): suspended at a top-level await in a loop, it goes on with its imports bound.
import { stamp, SEPARATOR } from './esm-tla-imports/format.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

const lines = [];
for (let day = 1; day <= 4; day++) {
  await sleep(6);
  lines.push(stamp(day, day % 2 ? 'odd' : 'even'));
  console.log(lines.join(SEPARATOR));
}
