// ferry-lines: 2,4
// ES modules loaded before the checkpoint and imported again after it, by import() and by the static
// import of a module loaded only then: the restored program's loader gives the module it restored,
// with its state, never a second evaluation of its file (which would print again and count from 0).
import { bump, settings } from './esm-reimport/counter.mjs';
import labels from './esm-reimport/labels.mjs';

settings.label = 'count';
labels.prefix = '>';
let round = 0;
async function step() {
  round++;
  bump();
  const again = await import('./esm-reimport/counter.mjs');
  const named = await import('./esm-reimport/labels.mjs');
  let line = `${named.format(round)}: ${again.current()} ${named.now()} ${again.bump === bump} ${again.settings === settings}`;
  if (round >= 3) line += ` | ${(await import('./esm-reimport/late.mjs')).describe()}`;
  console.log(line);
  if (round < 6) setTimeout(step, 20);
}
setTimeout(step, 20);
