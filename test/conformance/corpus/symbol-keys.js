// ferry-lines: 1,3
// Symbols as property keys (local, registered, well-known), symbol-keyed methods, Symbol.toPrimitive.
const secret = Symbol('secret');
const shared = Symbol.for('app.shared');
const money = {
  cents: 1234,
  [secret]: 'hidden',
  [shared]: 0,
  [Symbol.toPrimitive](hint) { return hint === 'number' ? this.cents / 100 : `$${(this.cents / 100).toFixed(2)}`; },
};
let step = 0;
const iv = setInterval(() => {
  step++;
  money.cents += 101;
  money[shared]++;
  console.log(step, `${money}`, +money, money[secret], money[Symbol.for('app.shared')], Object.getOwnPropertySymbols(money).length);
  if (step === 7) clearInterval(iv);
}, 60);
