// ferry-lines: 2,4
// ferry-here: 38#2
// Transfers between accounts as neverthrow Results: each step (parse, check funds, apply) returns
// ok or err, chained with map/andThen; async steps go through ResultAsync. The ledger is a class
// with a static factory and a getter, its history kept in a Map.
const { ok, err, ResultAsync } = require('neverthrow');

class Ledger {
  static open(balances) {
    return new Ledger(new Map(Object.entries(balances)));
  }
  constructor(balances) {
    this.balances = balances;
    this.history = [];
  }
  get total() {
    let sum = 0;
    for (const v of this.balances.values()) sum += v;
    return sum;
  }
}

const parse = (line) => {
  const [from, to, amount] = line.split(/\s+/);
  const n = Number(amount);
  return Number.isInteger(n) && n > 0 ? ok({ from, to, n }) : err(`bad amount in "${line}"`);
};
const known = (ledger) => (t) =>
  ledger.balances.has(t.from) && ledger.balances.has(t.to) ? ok(t) : err(`unknown account in ${t.from}->${t.to}`);
const funded = (ledger) => (t) => (ledger.balances.get(t.from) >= t.n ? ok(t) : err(`${t.from} lacks ${t.n}`));
const settle = (ledger) => (t) =>
  ResultAsync.fromPromise(
    new Promise((resolve) => setTimeout(() => resolve(t), 15)),
    () => 'settlement failed',
  ).map((done) => {
    ledger.balances.set(done.from, ledger.balances.get(done.from) - done.n);
    ledger.balances.set(done.to, ledger.balances.get(done.to) + done.n);
    ledger.history.push(`${done.from}->${done.to}:${done.n}`);
    return ledger.total;
  });

const ledger = Ledger.open({ ann: 100, bob: 50, cy: 0 });
const lines = ['ann bob 30', 'bob cy 90', 'cy ann x', 'bob cy 60', 'dan ann 5', 'cy ann 25', 'ann cy 70'];

async function run() {
  for (const [i, line] of lines.entries()) {
    const result = await parse(line).andThen(known(ledger)).andThen(funded(ledger)).asyncAndThen(settle(ledger));
    result.match(
      (total) => console.log(i, 'settled', line, 'total', total, JSON.stringify([...ledger.balances])),
      (reason) => console.log(i, 'refused', reason),
    );
  }
  console.log('history', ledger.history.join(' '));
}
run();
