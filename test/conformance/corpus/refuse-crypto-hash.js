// ferry-refuse: hasher: a crypto Hash
// Internal state of a crypto Hash cannot be read: refused with its path from the module.
const crypto = require('crypto');
const state = { hasher: crypto.createHash('sha256') };
state.hasher.update('partial');
console.log('hashing');
setInterval(() => state.hasher, 1000);
