// ferry-lines: 2,4
// logform: a format pipeline (label, a custom format that drops debug, splat, printf) applied to
// log records produced on a timer; formats are closures over their options, kept across the checkpoint.
const { format } = require('logform');
const { MESSAGE } = require('triple-beam');
const fs = require('fs');
const dropDebug = format((info, opts) => (info.level === 'debug' && !opts.keep ? false : info));
let seq = 0;
const numbered = format((info) => { info.seq = ++seq; return info; });
const pipeline = format.combine(
  format.label({ label: 'svc' }),
  dropDebug({ keep: false }),
  numbered(),
  format.splat(),
  format.printf((i) => `#${i.seq} [${i.label}] ${i.level}: ${i.message}${i.meta ? ' ' + JSON.stringify(i.meta) : ''}`),
);
const records = [
  { level: 'info', message: 'start %s', splat: ['v1'] },
  { level: 'debug', message: 'hidden' },
  { level: 'warn', message: 'slow %d ms', splat: [120], meta: { route: '/a' } },
  { level: 'error', message: 'failed' },
  { level: 'info', message: 'retry %s of %d', splat: ['2', 3] },
  { level: 'info', message: 'stop' },
];
const iv = setInterval(() => {
  const record = records.shift();
  const out = pipeline.transform({ ...record, [Symbol.for('splat')]: record.splat }, pipeline.options);
  if (out) { console.log(out[MESSAGE]); fs.appendFileSync('app.log', out[MESSAGE] + '\n'); }
  else console.log('(dropped)');
  if (!records.length) clearInterval(iv);
}, 20);
