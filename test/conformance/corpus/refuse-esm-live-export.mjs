// ferry-refuse: reassigns its exported `count`: the modules importing it see a live binding
// An exported binding the module reassigns is a live binding for its importers: refused up front.
export let count = 0;
setInterval(() => { count++; console.log('count', count); if (count === 30) process.exit(0); }, 100);
