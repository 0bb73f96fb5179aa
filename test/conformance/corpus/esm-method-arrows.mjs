// ferry-lines: 2,4
// ES modules: arrows returned by a class's methods close over the method's `this`, and the class and
// its instance are an ES module's exports (kept in its cells, not its context): each arrow keeps
// its lexical `this` after the restore, also once the program changes that instance.
import { Parser, parse, shared } from './esm-method-arrows/parser.mjs';

const own = new Parser();
const inline = own.bind('inline');
let round = 0;
const timer = setInterval(() => {
  round++;
  if (round === 3) shared.options.prefix = '>';
  console.log(parse(`r${round}`), inline(`r${round}`));
  if (round === 5) clearInterval(timer);
}, 40);
