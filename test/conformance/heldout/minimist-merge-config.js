// ferry-lines: 2,5
// ferry-here: 21#3
// A config service: command lines parsed with minimist, layered over defaults with lodash.merge,
// each new layer compared with deep-equal to the last before it is logged to a file.
var minimist = require('minimist');
var merge = require('lodash.merge');
var deepEqual = require('deep-equal');
var fs = require('fs');

var DEFAULTS = { port: 8080, log: { level: 'info', json: false }, features: [] };
var commandLines = [
  '--port 9000 --log.level debug',
  '--log.json --features a --features b',
  '--port 9000 --log.level debug',
  '--no-log.json -x 3 --name=edge',
  '--features c',
  '--port=7000 --log.level warn',
];
var current = merge({}, DEFAULTS);
function apply(line) {
  var args = minimist(line.split(' '), { boolean: ['log.json'], string: ['name'] });
  delete args._;
  var next = merge({}, current, args);
  var changed = !deepEqual(next, current, { strict: true });
  current = next;
  return (changed ? 'changed ' : 'same ') + JSON.stringify(current);
}
var timer = setInterval(function () {
  var line = commandLines.shift();
  var result = apply(line);
  console.log(result);
  fs.appendFileSync('config.log', line + ' => ' + result + '\n');
  if (commandLines.length === 0) clearInterval(timer);
}, 20);
