// ferry-lines: 2,4
// A program that cooperates: it closes what cannot travel on ferry:checkpoint and reopens it on
// ferry:restore (or ferry:continue, when it goes on where it was). Its output is the same either way.
const net = require('net');
let connection = null;
const open = () => { connection = { opened: true }; };
const close = () => { connection = null; };
open();
process.on('ferry:checkpoint', close);
process.on('ferry:restore', open);
process.on('ferry:continue', open);
let step = 0;
const iv = setInterval(() => {
  step++;
  console.log(`step ${step}: connection ${connection ? 'open' : 'CLOSED'} ${typeof net.connect}`);
  if (step === 7) clearInterval(iv);
}, 60);
