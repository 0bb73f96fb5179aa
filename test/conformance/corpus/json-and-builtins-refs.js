// ferry-lines: 1,3
// References to built-ins kept in state: functions, prototypes, modules, Math, JSON.
const path = require('path');
const fs = require('fs');
const tools = { join: path.join, stringify: JSON.stringify, max: Math.max, proto: Array.prototype, fs, isArray: Array.isArray };
let step = 0;
const iv = setInterval(() => {
  step++;
  console.log(step, tools.join('a', String(step)), tools.stringify({ step }), tools.max(step, 2), tools.proto === Array.prototype,
    tools.fs === require('fs'), tools.isArray([]), typeof tools.fs.readFileSync);
  if (step === 7) clearInterval(iv);
}, 60);
