// A for loop over a var counter in a sloppy function: var becomes an assignment in the variant.
function run(n) {
  var out = [];
  for (var i = 0, j = n; i < j; i += 2) {
    var label = 'v' + i;
    out.push(label); // @bp 2 4
    console.log(label, j);
  }
  return out.join(',');
}
console.log(run(10));
