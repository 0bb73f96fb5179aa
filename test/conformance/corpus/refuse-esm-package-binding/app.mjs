// Imports the binding the package reassigns, by package name.
import { defaults, setOptions } from 'settings-pkg';

export function bump(round) {
  setOptions({ level: round });
  return defaults.level;
}
