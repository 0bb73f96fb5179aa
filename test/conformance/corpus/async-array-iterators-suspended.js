// ferry-lines: 2,3,7,9
// An async function suspended at an await inside for-of loops over an array's own iterators:
// `list.entries()` with an element that occurs twice (its position from the index `i`), `keys()`,
// and `values()`. The restored loops run the restored arrays' own iterators from there, live: the
// element the body adds after the checkpoint is iterated too.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const steps = ['fetch', 'parse', 'fetch', 'store'];
const widths = [320, 640, 320];
async function work() {
  for (const [i, step] of steps.entries()) {
    await sleep(60);
    console.log('step', i, step);
    if (step === 'store') steps.push('verify');
  }
  for (const k of widths.keys()) {
    await sleep(60);
    console.log('width', k, widths[k]);
  }
  for (const w of ['s', 'm', 'l'].values()) {
    await sleep(60);
    console.log('size', w);
  }
  return 'done';
}
work().then((result) => console.log(result));
