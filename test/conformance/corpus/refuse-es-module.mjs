// ferry-refuse: an ES module: ES modules are not carried yet
// ES modules (their live bindings) are not carried yet: refused up front, the program goes on.
let count = 0;
export const bump = () => ++count;
console.log('started', bump());
setInterval(bump, 1000);
