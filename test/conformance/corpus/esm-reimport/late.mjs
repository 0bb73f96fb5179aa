// Loaded first in round 3 (before or after the checkpoint): its static import of counter.mjs is the
// module the program loaded at its start, with the state it has now.
import total, { settings, current } from './counter.mjs';
console.log('late.mjs evaluated');
export const describe = () => `${settings.label}=${current()} total=${total()}`;
