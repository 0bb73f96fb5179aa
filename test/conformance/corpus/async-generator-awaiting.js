// ferry-lines: 2,5,9
// for-await pipelines over async generators that await inside their bodies (a timer between
// items): caught at idle, each generator is suspended at an `await` (its own or its for-await's
// implicit one), serving its consumer's pending next(); the consumer waits at its loop's await of
// that next(). A generator whose next() promise is held with a then() is carried too.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function* counter(n) {
  for (let i = 1; i <= n; i++) {
    await sleep(150);
    yield i;
  }
  return 'spent';
}
async function* squares(source) {
  let seen = 0;
  for await (const x of source) {
    seen++;
    yield { x, square: x * x, seen };
  }
}
async function* late() {
  // Well after the pipeline's 10 x 150 ms: pending at every checkpoint. The pipeline's steps are
  // chained (each timer set when the last one fired), so a loaded machine delays it step by step:
  // 2 s of slack lets each of its 10 steps come 200 ms late, four times the worst gap measured at
  // load 17 (50 ms), before 'got late' could come first.
  await sleep(3500);
  yield 'late';
}
async function main() {
  let total = 0;
  for await (const { x, square, seen } of squares(counter(10))) {
    total += square;
    console.log('item', x, square, seen, 'total', total);
  }
  console.log('done', total);
}
late().next().then(({ value }) => console.log('got', value));
main();
