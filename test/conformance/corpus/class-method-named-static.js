// ferry-lines: 2,4
// A class method named `static` (fast-glob's ReaderStream has one, next to `dynamic`): V8 gives its
// text without its name, from its parameters on, `(patterns, options) {...}`. The method, taken out
// of its class as a callback is, must restore under its name and go on working, and so must the
// class and its instances.
class Reader {
  constructor(root) {
    this.root = root;
  }
  dynamic(pattern) {
    return `${this.root}/**/${pattern}`;
  }
  static(patterns, options) {
    return patterns.map((p) => `${this.root}/${p}${options.suffix}`);
  }
  static static(list) {
    return list.length;
  }
}
const reader = new Reader('src');
const read = reader.static; // held on its own, as a library holds a method it calls later
const batches = [['a', 'b'], ['c'], ['d', 'e', 'f'], ['g'], ['h', 'i']];
let at = 0;
const timer = setInterval(() => {
  const files = read.call(reader, batches[at], { suffix: '.js' });
  console.log(read.name, Reader.static(files), files.join(' '), reader.dynamic(`${at}.ts`));
  if (++at === batches.length) clearInterval(timer);
}, 10);
