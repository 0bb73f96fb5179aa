// ferry-refuse: reassigns its exported `defaults`, a live binding for its importers that Ferry cannot follow here: it is a package, and
// A module importing a package's reassigned binding by package name (`import { defaults } from
// 'settings-pkg'`): the restore could not keep it live. Refused by path; the program goes on.
import { bump } from './refuse-esm-package-binding/app.mjs';

let round = 0;
console.log('started', bump(++round));
setInterval(() => console.log(bump(++round)), 300);
