// ferry-lines: 1,2
// Numbers of every kind, strings with any characters, BigInts, symbols, boxed values.
const values = {
  int: 42, neg: -7, big: 2 ** 53 - 1, frac: 0.1 + 0.2, negZero: -0, nan: NaN, inf: -Infinity,
  str: 'héllo wörld ✓ 𝄞', empty: '', lone: '\ud800', bigint: 12345678901234567890n, negBig: -5n,
  sym: Symbol('local'), reg: Symbol.for('registered'), well: Symbol.iterator,
  boxedNum: Object(5), boxedStr: new String('boxed'), boxedBool: new Boolean(false),
  nul: null, undef: undefined,
};
const sameSym = values.sym;
let step = 0;
const iv = setInterval(() => {
  step++;
  const v = values;
  console.log(step, v.int + step, v.neg, v.big, v.frac, Object.is(v.negZero, -0), Number.isNaN(v.nan), v.inf,
    v.str, v.str.length, v.empty.length, v.lone.charCodeAt(0), v.bigint * BigInt(step), v.negBig,
    v.sym.toString(), v.sym === sameSym, Symbol.keyFor(v.reg), v.well === Symbol.iterator,
    v.boxedNum + 1, v.boxedStr.length, typeof v.boxedBool, v.nul, v.undef, 'undef' in v);
  if (step === 7) clearInterval(iv);
}, 60);
