// Arrow functions whose lexical `this` is an object, made in an ES module that imports: marked's
// `parse = this.parseMarkdown(true)`. The module's imports are scope variables with no slot in its
// context (V8 keeps them in the exporting module's cells); the module context was not matched in
// the heap snapshot, and such an arrow was refused ("lexical `this` could not be found").
import { format } from 'node:util';

let calls = 0;
class Renderer {
  options = { prefix: '>' };
  parse = this.make('block');
  parseInline = this.make('inline');
  make(kind) {
    return (source) => {
      calls++;
      return format('%s %s:%s (%d)', this.options.prefix, kind, source, calls); // @bp 3
    };
  }
}

const renderer = new Renderer();
let n = 0;
const timer = setInterval(() => {
  if (n === 2) renderer.options.prefix = '#';
  console.log(renderer.parse(`a${n}`), renderer.parseInline(`b${n}`)); // @bp 2 4
  if (++n === 4) clearInterval(timer);
}, 20);
