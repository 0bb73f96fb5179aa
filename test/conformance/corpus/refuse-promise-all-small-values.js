// ferry-lines: 1
// ferry-refuse: a Promise.all with settled values the heap snapshot does not show
// Promise.all keeps the values settled so far where only a heap snapshot reads them, and a snapshot
// shows no undefined, null, boolean or small integer: the first sleep's undefined looks like a hole.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let n = 0;
const iv = setInterval(() => { console.log('tick', ++n); if (n === 20) clearInterval(iv); }, 150);
Promise.all([sleep(50), sleep(3500)]).then(() => console.log('all'));
