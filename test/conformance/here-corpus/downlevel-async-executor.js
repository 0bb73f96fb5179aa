'use strict';
// An async function as TypeScript writes it for an older target: a generator stepped by
// __awaiter, whose first step runs inside the executor of `new (P || (P = Promise))(...)`. A
// Checkpoint Here before the first yield has that executor on the stack, called by the built-in
// Promise constructor: what `new` gives is the promise, never what the executor returns (the point
// is refused, and the checkpoint taken where the program goes on from the promise).
var __awaiter = function (thisArg, _arguments, P, generator) {
  function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
  return new (P || (P = Promise))(function (resolve, reject) {
    function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
    function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
    function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
function total(items) {
  return __awaiter(this, void 0, void 0, function* () {
    const base = items.length * 10; // @bp 2 @to 32
    const extra = yield new Promise((resolve) => setTimeout(() => resolve(items.reduce((a, b) => a + b, 0)), 5));
    return base + extra;
  });
}
const batches = [[1, 2], [3, 4, 5], [6]];
let i = 0;
function next() {
  if (i === batches.length) return console.log('done');
  total(batches[i]).then((sum) => {
    console.log('batch', i, 'total', sum);
    i++;
    setTimeout(next, 5);
  });
}
next();
