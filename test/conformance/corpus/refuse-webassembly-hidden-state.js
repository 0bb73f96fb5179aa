// ferry-refuse: scratch: a WebAssembly.Memory that no WebAssembly instance exports (one the program made
// A WebAssembly instance keeping a mutable global to itself whose value is no longer its first (a
// counter its exported function bumps) could not have it put back: refused by path, and the program
// goes on. So is a memory the program made itself (its maximum cannot be read).
const section = (id, ...items) => {
  const body = [items.length, ...items.flat()];
  return [id, body.length, ...body];
};
const code = (...ops) => [ops.length + 1, 0, ...ops];
const bytes = new Uint8Array([
  ...[0, 97, 115, 109, 1, 0, 0, 0],
  ...section(1, [96, 0, 1, 127]), // ()->i32
  ...section(3, [0]),
  ...section(6, [127, 1, 65, 0, 11]), // a mutable i32 global, not exported
  ...section(7, [4, ...Buffer.from('next'), 0, 0]),
  ...section(10, code(35, 0, 65, 1, 106, 36, 0, 35, 0, 11)), // next: ++global
]);
const hidden = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
const scratch = new WebAssembly.Memory({ initial: 1, maximum: 2 });
console.log('started', hidden.exports.next(), scratch.buffer.byteLength);
setInterval(() => hidden.exports.next() + scratch.buffer.byteLength, 1000);
