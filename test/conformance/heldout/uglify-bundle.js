// ferry-lines: 2,4
// ferry-here: 32#3
// uglify-js: a build step that writes a few sources, then reads each with fs.readFile, minifies
// it (names mangled, a source map kept), writes it to dist/ and goes on to the next from the
// write's callback; a report of the sizes comes at the end.
const fs = require('fs');
const path = require('path');
const UglifyJS = require('uglify-js');

const src = path.join(__dirname, 'src');
const out = path.join(__dirname, 'dist');
const sources = {
  'math.js':
    'function clamp(value, low, high) { var result = Math.min(Math.max(value, low), high); return result; }\n' +
    'function mean(list) { var total = 0; for (var i = 0; i < list.length; i++) total += list[i]; return total / list.length; }',
  'strings.js':
    'function titleCase(text) { return text.split(" ").map(function (word) { return word.charAt(0).toUpperCase() + word.slice(1); }).join(" "); }',
  'queue.js':
    'function Queue() { this.items = []; }\nQueue.prototype.push = function (item) { this.items.push(item); return this; };\n' +
    'Queue.prototype.drain = function (fn) { while (this.items.length) fn(this.items.shift()); };',
  'format.js':
    'var UNITS = ["B", "KB", "MB"];\nfunction bytes(n) { var unit = 0; while (n >= 1024 && unit < UNITS.length - 1) { n = n / 1024; unit++; } return n.toFixed(1) + " " + UNITS[unit]; }',
};
const files = Object.keys(sources);
const sizes = [];
for (const dir of [src, out]) fs.mkdirSync(dir, { recursive: true });
for (const [name, code] of Object.entries(sources)) fs.writeFileSync(path.join(src, name), code);

function build(i) {
  if (i === files.length) return report();
  fs.readFile(path.join(src, files[i]), 'utf8', (err, code) => {
    if (err) throw err;
    const result = UglifyJS.minify({ [files[i]]: code }, { sourceMap: { filename: files[i] } });
    sizes.push([files[i], code.length, result.code.length]);
    fs.writeFile(path.join(out, files[i].replace('.js', '.min.js')), result.code, () => {
      console.log('built', files[i], result.code.length, 'bytes', JSON.parse(result.map).names.length, 'names');
      setTimeout(() => build(i + 1), 10);
    });
  });
}
function report() {
  const saved = sizes.reduce((n, [, before, after]) => n + before - after, 0);
  console.log('saved', saved, 'bytes over', sizes.length, 'files');
  fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(sizes));
}
build(0);
