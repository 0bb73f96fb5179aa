// ferry-lines: 2
// A WebAssembly instance calling a JavaScript function it imports, which the program holds too:
// Node 22 and 24 keep an instance's imports in its trusted data, and Node 24's inspector reaches
// one only through a path of the program's (snapshot/capture/agent/webassembly.ts).
const text = (s) => [s.length, ...Buffer.from(s)];
const section = (id, ...items) => {
  const body = [items.length, ...items.flat()];
  return [id, body.length, ...body];
};
const compiled = new WebAssembly.Module(
  new Uint8Array([
    ...[0, 97, 115, 109, 1, 0, 0, 0],
    ...section(1, [96, 1, 127, 0]), // (i32) -> ()
    ...section(2, [...text('env'), ...text('log'), 0, 0]), // import env.log
    ...section(3, [0]), // run
    ...section(7, [...text('run'), 0, 1]),
    ...section(10, [9, 0, 32, 0, 65, 10, 108, 16, 0, 11]), // run(n): log(n * 10)
  ]),
);
const log = (n) => console.log('wasm says', n);
const instance = new WebAssembly.Instance(compiled, { env: { log } });
let step = 0;
const timer = setInterval(() => {
  step++;
  instance.exports.run(step);
  if (step === 4) {
    clearInterval(timer);
    log('done');
  }
}, 30);
