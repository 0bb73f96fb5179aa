// ferry-lines: 1
// A typed array of 64M elements (what an Emscripten program's view on its grown memory can be)
// with a named property: V8 cannot list its own keys ("Too many properties to enumerate"), so its
// named ones are read without its indices.
const heap = new Uint8Array(64 * 1024 * 1024);
heap.tag = 'named';
heap[5] = 7;
let step = 0;
const timer = setInterval(() => {
  step++;
  heap[step * 1000000] += step;
  console.log(step, heap.tag, heap[5], heap[step * 1000000], heap.length, Object.getOwnPropertyDescriptor(heap, 'tag').enumerable);
  if (step === 3) clearInterval(timer);
}, 300);
