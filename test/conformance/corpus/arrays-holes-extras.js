// ferry-lines: 1,3
// Arrays: holes, extra named properties, nested arrays, large length, shared elements.
const shared = { id: 'shared' };
const a = [1, , 3, shared, [shared, [shared]]];
a.extra = 'named';
a[10] = 'far';
const sparse = [];
sparse[1000] = 'end';
let step = 0;
const iv = setInterval(() => {
  step++;
  a.push(step);
  console.log(step, a.length, 1 in a, a[4][1][0] === shared, a.extra, sparse.length, Object.keys(sparse).join(','), JSON.stringify(a));
  if (step === 7) clearInterval(iv);
}, 60);
