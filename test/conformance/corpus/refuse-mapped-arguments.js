// ferry-refuse: the `arguments` object of a sloppy-mode function with parameters, kept under another name
// A sloppy function's `arguments` maps its parameters: a write through one changes the other. A
// restored copy would be a plain object, and `get()` would stop following `bump()`: refused.
function make(n) {
  var args = arguments;
  return { get: function () { return n; }, bump: function () { args[0]++; } };
}
var counter = make(0);
console.log('waiting');
setInterval(function () { counter.bump(); }, 1000);
