// ferry-lines: 1,4
// ferry-here: 29#2
// joi + eventemitter2 + async-mutex: wildcard listeners validate transactions with a Joi schema and
// update balances under a mutex across an await. Breakpoint after the await, holding the lock.
const Joi = require('joi');
const { EventEmitter2 } = require('eventemitter2');
const { Mutex } = require('async-mutex');
const bus = new EventEmitter2({ wildcard: true, delimiter: '.' });
const mutex = new Mutex();
const schema = Joi.object({
  user: Joi.string().alphanum().min(2).required(),
  amount: Joi.number().positive().max(1000).required(),
  note: Joi.string().allow('').default(''),
});
const balances = new Map();
const log = [];
bus.on('tx.*', async function (payload) {
  const kind = this.event.split('.')[1];
  const { error, value } = schema.validate(payload);
  if (error) {
    log.push(`rejected ${kind}: ${error.details[0].message}`);
    console.log('rejected', kind, error.details[0].message);
    return;
  }
  const release = await mutex.acquire();
  try {
    const before = balances.get(value.user) ?? 0;
    await new Promise((r) => setImmediate(r));
    const after = kind === 'credit' ? before + value.amount : before - value.amount;
    balances.set(value.user, after);
    console.log(kind, value.user, value.amount, '->', after, JSON.stringify(value.note));
  } finally {
    release();
  }
});
const inputs = [
  ['tx.credit', { user: 'ann', amount: 50 }],
  ['tx.debit', { user: 'ann', amount: 20, note: 'coffee' }],
  ['tx.credit', { user: 'b', amount: 5 }],
  ['tx.credit', { user: 'bob', amount: 5000 }],
  ['tx.credit', { user: 'bob', amount: 75 }],
  ['tx.debit', { user: 'bob', amount: 12.5 }],
];
let i = 0;
function next() {
  if (i === inputs.length) {
    setTimeout(() => console.log('final', JSON.stringify([...balances]), log.length), 20);
    return;
  }
  const [event, payload] = inputs[i++];
  bus.emitAsync(event, payload).then(() => setTimeout(next, 15));
}
next();
