// ferry-lines: 2
// Holds util.isBoolean, which Node 23 removed: a checkpoint of it restores on Node 22 and is
// refused by name on Node 24, before the program writes anything.
const fs = require('fs');
const { isBoolean } = require('util');
let step = 0;
const iv = setInterval(() => {
  step++;
  fs.appendFileSync('steps.txt', `${step}\n`);
  console.log(`step ${step}: ${isBoolean(step % 2 === 0)}`);
  if (step === 4) clearInterval(iv);
}, 50);
