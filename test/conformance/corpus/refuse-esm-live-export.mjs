// ferry-refuse: reassigns its exported `count`, a live binding for its importers that Ferry cannot follow here
// A live binding Ferry cannot follow: this module also calls import(), whose namespace objects
// would keep a copy of `count`. Refused up front (named imports and static namespaces are kept live).
export let count = 0;
const load = () => import('node:os');
setInterval(() => { count++; console.log('count', count); if (count === 30) process.exit(0); }, 100);
void load;
