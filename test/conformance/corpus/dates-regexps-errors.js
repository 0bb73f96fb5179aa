// ferry-lines: 1,3
// Dates, regular expressions with lastIndex, errors with causes and custom fields.
const d = new Date(Date.UTC(2024, 1, 29, 12, 0, 0));
const re = /a(b+)/g;
re.lastIndex = 0;
const err = new TypeError('bad thing', { cause: new Error('root cause') });
err.code = 'E_BAD';
class MyError extends Error { constructor(m) { super(m); this.name = 'MyError'; } }
const mine = new MyError('custom');
const text = 'ab abb abbb abbbb';
let step = 0;
const iv = setInterval(() => {
  step++;
  d.setUTCDate(d.getUTCDate() + 1);
  const m = re.exec(text);
  console.log(step, d.toISOString(), m && m[1], re.lastIndex, err instanceof TypeError, err.message, err.cause.message, err.code,
    mine instanceof MyError, mine instanceof Error, mine.name, String(mine), Object.prototype.toString.call(err));
  if (step === 7) clearInterval(iv);
}, 60);
