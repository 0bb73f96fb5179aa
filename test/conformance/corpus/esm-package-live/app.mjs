// Imports the package by name, as marked's users do: its functions, not the binding they reassign.
import { setOptions, describe } from 'settings-pkg';

export function render(round) {
  if (round % 2 === 0) setOptions({ level: round });
  if (round === 3) setOptions({ mode: 'fancy' });
  return describe(`round ${round}`);
}
