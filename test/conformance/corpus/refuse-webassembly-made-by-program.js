// ferry-refuse: slots: a WebAssembly.Table that no WebAssembly instance exports (one the program made
// A table the program made itself (`new WebAssembly.Table`): its element type and maximum cannot be
// read in Node 20, so it could not be made again as it was. Nor could an instance given a memory
// the program made (`new WebAssembly.Memory`) as an import (here re-exported, with a table of its
// own). Each refused by path, and the program goes on.
const text = (s) => [s.length, ...Buffer.from(s)];
const section = (id, ...items) => {
  const body = [items.length, ...items.flat()];
  return [id, body.length, ...body];
};
const scratch = new WebAssembly.Memory({ initial: 1, maximum: 2 });
const slots = new WebAssembly.Table({ initial: 2, element: 'anyfunc' });
const given = new WebAssembly.Instance(
  new WebAssembly.Module(
    new Uint8Array([
      ...[0, 97, 115, 109, 1, 0, 0, 0],
      ...section(2, [...text('env'), ...text('mem'), 2, 0, 1]), // import env.mem, a memory
      ...section(4, [112, 0, 1]),
      ...section(7, [...text('mem'), 2, 0], [...text('table'), 1, 0]),
    ]),
  ),
  { env: { mem: scratch } },
);
console.log('started', scratch.buffer.byteLength, slots.length, given.exports.table.length);
setInterval(() => scratch.buffer.byteLength + slots.length + given.exports.table.length, 1000);
