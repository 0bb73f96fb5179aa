// ferry-refuse: scratch: a WebAssembly.Memory that no WebAssembly instance exports (one the program made
// A memory and a table the program made itself (`new WebAssembly.Memory`, `new WebAssembly.Table`):
// their maximum and element type cannot be read in Node 20, so they could not be made again as
// they were. Refused by path, and the program goes on.
const scratch = new WebAssembly.Memory({ initial: 1, maximum: 2 });
const slots = new WebAssembly.Table({ initial: 2, element: 'anyfunc' });
console.log('started', scratch.buffer.byteLength, slots.length);
setInterval(() => scratch.buffer.byteLength + slots.length, 1000);
