// ferry-lines: 2,4
// ferry-here: 25#2
// Old-style callback jobs: each batch runs its tasks with run-parallel, every task callback wrapped
// in once() so a double call is ignored, and the batches are chained by a-sync-waterfall.
var parallel = require('run-parallel');
var once = require('once');
var waterfall = require('a-sync-waterfall');

var totals = { done: 0, ignored: 0 };
function task(name, ms, value) {
  return function (cb) {
    var finish = once(cb);
    setTimeout(function () {
      finish(null, name + '=' + value);
      if (finish.called) totals.ignored++;
      finish(null, 'twice'); // ignored: once() already called
      totals.done++;
    }, ms);
  };
}
function batch(label, size) {
  return function (previous, next) {
    var tasks = [];
    for (var i = 0; i < size; i++) tasks.push(task(label + i, 5 + i * 3, previous.length + i));
    parallel(tasks, function (err, results) {
      console.log(label, results.join(' '), 'done', totals.done);
      next(err, previous.concat(results));
    });
  };
}
waterfall(
  [function (next) { next(null, []); }, batch('a', 2), batch('b', 3), batch('c', 2), batch('d', 3), batch('e', 1)],
  function (err, all) {
    console.log('all', all.length, 'ignored', totals.ignored, err || '');
  },
);
