// ferry-lines: 1
// ferry-refuse: a then() handler reads its value
// Promise.all keeps the values settled so far where only a heap snapshot reads them, and a snapshot
// shows no undefined, null, boolean or small integer: the first sleep's undefined looks like a hole.
// Its handler reads the values, so which place it was cannot be left open.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let n = 0;
const iv = setInterval(() => { console.log('tick', ++n); if (n === 20) clearInterval(iv); }, 150);
Promise.all([sleep(50), sleep(3500)]).then((values) => console.log('all', values.length));
