// ferry-lines: 1,3,5,7
// An ES module suspended at its top-level awaits: inside an exported declaration, a for-of loop
// and a while loop, with an exported `let` its own function reassigns (a live binding), its
// imports, and an exported default function declared after. The restored module body goes on
// from the await with the same bindings as the module's functions.
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export const config = await (async () => {
  await sleep(8);
  return { name: 'site', out: path.join('out', 'pages') };
})();
console.log('config', config.name, config.out);

export let built = 0;
export function build(page) {
  built++;
  return `${config.out}/${page}.html`;
}

const written = [];
for (const page of ['index', 'about', 'blog']) {
  await sleep(6);
  written.push(build(page));
  console.log('built', page, built);
}
await writeFile('manifest.txt', written.join('\n') + '\n');
let polls = 0;
while (polls < 3) {
  await sleep(5);
  polls++;
  console.log('poll', polls, built);
}
export default function summary() {
  return `${built} pages, ${polls} polls`;
}
await sleep(4);
console.log(summary());
