// ferry-lines: 2,4
// semver and yaml: a parsed YAML document (yaml's node classes) edited over time, versions bumped with semver.
const semver = require('semver');
const YAML = require('yaml');
const doc = YAML.parseDocument('name: ferry\nversion: 1.4.2\ndeps:\n  - lodash\n');
const range = new semver.Range('^1.4.0 || ^2.0.0');
let n = 0;
const iv = setInterval(() => {
  n++;
  const next = semver.inc(doc.get('version'), n % 3 === 0 ? 'minor' : 'patch');
  doc.set('version', next);
  doc.getIn(['deps']).add(`dep${n}`);
  console.log(n, next, semver.satisfies(next, range), doc.toString().replace(/\n/g, ' | '));
  if (n === 6) clearInterval(iv);
}, 200);
