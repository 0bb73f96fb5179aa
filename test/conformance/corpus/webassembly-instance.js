// ferry-lines: 1,3
// A WebAssembly module compiled from bytes the program wrote (and then dropped), instantiated with a
// JavaScript import: its exported memory (grown, written by wasm and through a view the program
// keeps), a mutable global, a table whose entries the program changed, the exported functions the
// program holds and one it does not export (held from its table), and a global it does not export,
// back at its first value between calls (as a stack pointer is), and one that counts calls. After the
// restore they are the new instance's, made from the same bytes (the counting global's first value
// set to its count).
const text = (s) => [s.length, ...Buffer.from(s)];
const section = (id, ...items) => {
  const body = [items.length, ...items.flat()];
  return [id, body.length, ...body];
};
const code = (...ops) => [ops.length + 1, 0, ...ops]; // a function body without locals
function compile() {
  return new WebAssembly.Module(
    new Uint8Array([
      ...[0, 97, 115, 109, 1, 0, 0, 0],
      ...section(1, [96, 1, 127, 0], [96, 2, 127, 127, 1, 127], [96, 0, 1, 127]), // (i32)->(), (i32,i32)->i32, ()->i32
      ...section(2, [...text('env'), ...text('log'), 0, 0]), // import env.log
      ...section(3, [1], [2], [2], [1], [2]), // add, bump, peek, triple, calls
      ...section(4, [112, 0, 4]), // a table of 4 functions
      ...section(5, [0, 1]), // a memory of 1 page
      // mutable i32 globals: 5; 4096 and 0 (neither exported: a stack pointer, a count of bump calls)
      ...section(6, [127, 1, 65, 5, 11], [127, 1, 65, 128, 32, 11], [127, 1, 65, 0, 11]),
      ...section(
        7,
        [...text('add'), 0, 1],
        [...text('bump'), 0, 2],
        [...text('peek'), 0, 3],
        [...text('calls'), 0, 5],
        [...text('mem'), 2, 0],
        [...text('counter'), 3, 0],
        [...text('table'), 1, 0],
      ),
      ...section(9, [0, 65, 0, 11, 3, 1, 2, 4]), // table[0..2] = add, bump, triple (which is not exported)
      ...section(
        10,
        code(32, 0, 32, 1, 106, 11), // add: a + b
        // bump: calls += 1; counter += 1; memory[counter*4] += counter; log(counter); counter
        code(35, 2, 65, 1, 106, 36, 2, 35, 0, 65, 1, 106, 36, 0, 35, 0, 65, 4, 108, 35, 0, 65, 4, 108, 40, 2, 0, 35, 0, 106, 54, 2, 0, 35, 0, 16, 0, 35, 0, 11),
        // peek: memory[24] as i32, between a push and a pop of the hidden global (as a stack pointer)
        code(35, 1, 65, 16, 107, 36, 1, 65, 24, 40, 2, 0, 35, 1, 65, 16, 106, 36, 1, 11),
        code(32, 0, 65, 3, 108, 11), // triple: a * 3
        code(35, 2, 11), // calls
      ),
    ]),
  );
}
const logged = [];
const instance = new WebAssembly.Instance(compile(), { env: { log: (n) => logged.push(n) } });
const { add, bump, peek, mem, counter, table } = instance.exports;
mem.grow(1);
const view = new Uint32Array(mem.buffer);
view[6] = 1000; // memory[24]
view[20000] = 42; // in the page it grew
table.set(3, add);
const triple = table.get(2); // a function the instance does not export
bump();
let step = 0;
const timer = setInterval(() => {
  step++;
  const n = bump();
  counter.value += 10;
  const viaTable = table.get(step % 4);
  console.log(step, n, counter.value, peek(), add(step, 100), viaTable === add, viaTable && viaTable(2, 3), triple(step, 0), instance.exports.calls(), logged.join(','));
  console.log(mem.buffer.byteLength, view.length, view[20000], new Uint32Array(mem.buffer)[6], instance.exports === Object.getOwnPropertyDescriptor(WebAssembly.Instance.prototype, 'exports').get.call(instance));
  if (step === 5) clearInterval(timer);
}, 40);
