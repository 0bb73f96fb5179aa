// ferry-lines: 1,3
// Several CommonJS modules with their own state; require() after restore returns the restored module.
const counter = require('./modules-commonjs/counter');
const { format } = require('./modules-commonjs/format');
let step = 0;
const iv = setInterval(() => {
  step++;
  counter.bump();
  const again = require('./modules-commonjs/counter');
  console.log(format(step, counter.value(), again === counter, require.cache[require.resolve('./modules-commonjs/counter')].loaded));
  if (step === 7) clearInterval(iv);
}, 60);
