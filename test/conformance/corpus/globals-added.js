// ferry-lines: 1,3
// State the program put on the global object.
globalThis.appState = { hits: 0 };
global.helper = function helper(x) { return x * 2; };
var topVar = 'top';
let step = 0;
const iv = setInterval(() => {
  step++;
  appState.hits += helper(step);
  console.log(step, appState.hits, typeof helper, globalThis.appState === appState, typeof topVar);
  if (step === 7) clearInterval(iv);
}, 60);
