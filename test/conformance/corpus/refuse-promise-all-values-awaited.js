// ferry-lines: 1
// ferry-refuse: its await reads the value it goes on with, the values of a Promise.all
// An async function awaits a Promise.all whose first place settled with undefined (which a heap
// snapshot does not show) and keeps the values: the capture cannot tell that place from a pending one.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let n = 0;
const iv = setInterval(() => { console.log('tick', ++n); if (n === 20) clearInterval(iv); }, 150);
async function main() {
  const values = await Promise.all([sleep(50), sleep(3500)]);
  console.log('all', values.length);
}
main();
