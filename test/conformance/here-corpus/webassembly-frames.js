'use strict';
// Checkpoint Here with WebAssembly in the paused frames: the instance's exports, its memory and a
// view on it are locals of the frame and arguments of its caller. After the restore they are the
// new instance's, with the memory's bytes and the global's value they had.
const section = (id, ...items) => {
  const body = [items.length, ...items.flat()];
  return [id, body.length, ...body];
};
const code = (...ops) => [ops.length + 1, 0, ...ops];
const bytes = new Uint8Array([
  ...[0, 97, 115, 109, 1, 0, 0, 0],
  ...section(1, [96, 1, 127, 1, 127]), // (i32)->i32
  ...section(3, [0]),
  ...section(5, [0, 1]),
  ...section(6, [127, 1, 65, 0, 11]), // a mutable i32 global
  ...section(7, [3, ...Buffer.from('add'), 0, 0], [3, ...Buffer.from('mem'), 2, 0], [5, ...Buffer.from('total'), 3, 0]),
  // add(n): total += n; memory[total % 64] = n; total
  ...section(10, code(35, 0, 32, 0, 106, 36, 0, 35, 0, 65, 192, 0, 112, 32, 0, 58, 0, 0, 35, 0, 11)),
]);

function step(i, exports, view) {
  const total = exports.add(i);
  const copy = view.slice(0, 8);
  console.log(i, total, exports.total.value, copy.join(','), view.buffer === exports.mem.buffer); // @bp 2 3
  return total;
}

const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
const view = new Uint8Array(wasm.mem.buffer);
let sum = 0;
for (let i = 1; i <= 5; i++) sum += step(i, wasm, view);
console.log('sum', sum, view[1], view[3], view[6], view[10], view[15]);
