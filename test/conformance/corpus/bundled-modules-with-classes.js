// ferry-lines: 2,4
// A bundle as esbuild writes one (prettier's index.cjs): each module is an object-literal method
// keyed by its path, `"src/reader.js"(exports) {...}`, run once by a `__commonJS` wrapper that
// keeps it. A module declaring a class that calls `super(...)` does not make the method itself use
// `super`: its home object is no value V8 keeps, and none is needed to restore it.
var __commonJS = (cb, mod) =>
  function __require() {
    return mod || (0, cb[Object.keys(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  };
var require_base = __commonJS({
  'src/base.js'(exports) {
    class Base {
      constructor(settings) {
        this.settings = settings;
      }
      describe() {
        return `reader of ${this.settings.root}`;
      }
    }
    exports.Base = Base;
  },
});
var require_reader = __commonJS({
  'src/reader.js'(exports) {
    const { Base } = require_base();
    class Reader extends Base {
      constructor(settings) {
        super(settings);
        this.count = 0;
      }
      describe() {
        return `${super.describe()} (${++this.count})`;
      }
    }
    exports.Reader = Reader;
  },
});
const reader = new (require_reader().Reader)({ root: 'src' });
let left = 5;
const timer = setInterval(() => {
  console.log(reader.describe(), require_reader() === require_reader());
  if (--left === 0) clearInterval(timer);
}, 10);
