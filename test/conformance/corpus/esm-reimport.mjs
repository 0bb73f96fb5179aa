// ferry-lines: 3,4,5
// ferry-stderr: tail
// ES modules loaded before the checkpoint and imported again after it, by import() and by the static
// import of a module loaded only then: the restored program's loader gives the module it restored,
// with its state, never a second evaluation of its file (which would print again and count from 0).
// config.mjs holds data only: the stand-in exports what its importer holds. Its stderr is only its
// own: no warning of Node's about the loader the restored code imports through.
import { bump, settings } from './esm-reimport/counter.mjs';
import labels from './esm-reimport/labels.mjs';
import config, { units } from './esm-reimport/config.mjs';

settings.label = 'count';
labels.prefix = '>';
units.name = 'steps';
let round = 0;
async function step() {
  round++;
  bump();
  const again = await import('./esm-reimport/counter.mjs');
  const named = await import('./esm-reimport/labels.mjs');
  const data = await import('./esm-reimport/config.mjs');
  let line = `${named.format(round)}: ${again.current()} ${named.now()} ${again.bump === bump} ${again.settings === settings} ${data.units.name} ${data.default === config}`;
  if (round >= 3) line += ` | ${(await import('./esm-reimport/late.mjs')).describe()}`;
  console.log(line);
  if (round < config.rounds) setTimeout(step, 20);
  else console.error('imported again', round, 'times');
}
setTimeout(step, 20);
