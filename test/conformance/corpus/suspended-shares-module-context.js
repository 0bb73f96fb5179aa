// ferry-lines: 2,4
// A suspended async function and plain functions share the module's variables: the functions are
// reached only through the suspended frame's own closure (nothing else holds them), so they are
// walked after the frame is placed. After the restore a counter bumped by one is read by the
// other: one context, not two copies (a read-through cache counting its loads, as keyv's users write).
// (Each load takes 100 ms and four follow the last checkpoint's line: with 15 ms and two, the loop
// could run to its end before the oracle's pause arrived on a loaded machine.)
let loads = 0;
const sleep = () => new Promise((resolve) => setTimeout(resolve, 100));
async function load(id) {
  await sleep();
  loads++;
  return id * 7;
}
function count() {
  return loads;
}
async function main() {
  for (const id of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const value = await load(id);
    console.log(id, value, 'loads', loads, count());
  }
}
main();
