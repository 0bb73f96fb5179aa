// ferry-refuse: a module other than the program's entry
// An imported module suspended at a top-level await: its importer's body waits inside Node's
// module loader, which a restore does not make again. Refused by name; the program goes on.
import { loaded } from './refuse-imported-module-awaiting/settings.mjs';

console.log('main runs', loaded);
