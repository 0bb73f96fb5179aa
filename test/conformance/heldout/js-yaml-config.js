// ferry-lines: 2,4
// ferry-here: 26#2
// js-yaml: a config loaded with a custom `!range` type (a class with a constructor closure), changed
// each step and dumped to a file; a pending promise chain reloads it after each write.
const yaml = require('js-yaml');
const fs = require('fs');
class Range {
  constructor(from, to) { this.from = from; this.to = to; }
  get size() { return this.to - this.from; }
}
const RangeType = new yaml.Type('!range', {
  kind: 'sequence',
  resolve: (data) => Array.isArray(data) && data.length === 2,
  construct: (data) => new Range(data[0], data[1]),
  instanceOf: Range,
  represent: (r) => [r.from, r.to],
});
const schema = yaml.DEFAULT_SCHEMA.extend([RangeType]);
const config = yaml.load('name: demo\nports: !range [8000, 8003]\nfeatures:\n  - a\n  - b\nlimits: { cpu: 2, mem: 512 }\n', { schema });
let step = 0;
function save() {
  fs.writeFileSync('config.yaml', yaml.dump(config, { schema, sortKeys: true }));
  return Promise.resolve().then(() => yaml.load(fs.readFileSync('config.yaml', 'utf8'), { schema }));
}
function tick() {
  step++;
  config.ports.to += step;
  config.features.push(`f${step}`);
  config.limits.mem *= 2;
  save().then((back) => {
    console.log(step, back.ports instanceof Range, back.ports.size, back.features.join(''), back.limits.mem);
    if (step < 6) setTimeout(tick, 30);
  });
}
setTimeout(tick, 30);
