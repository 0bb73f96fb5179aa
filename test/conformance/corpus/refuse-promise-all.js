// ferry-lines: 1
// ferry-refuse: a pending promise is watched by a built-in (Promise.all
// Promise.all keeps its progress (how many settled, the values so far) where no debugger reads it.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let n = 0;
const iv = setInterval(() => { console.log('tick', ++n); if (n === 20) clearInterval(iv); }, 100);
Promise.all([sleep(3000), sleep(3500)]).then(() => console.log('all'));
