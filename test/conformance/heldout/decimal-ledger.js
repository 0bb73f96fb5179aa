// ferry-lines: 2,4
// ferry-here: 14#3
// Interest accrual with decimal.js (exact decimal arithmetic), one account per immediate, the
// results written as CSV.
const Decimal = require('decimal.js');
const { writeFileSync } = require('node:fs');

Decimal.set({ precision: 20, rounding: Decimal.ROUND_HALF_EVEN });
const accounts = [['alice', '1000.10', '0.035'], ['bob', '250.00', '0.0425'], ['carol', '99999.99', '0.0199'], ['dan', '0.01', '0.5']];
const rows = ['name,balance,interest'];
function accrue([name, balance, rate], days) {
  const b = new Decimal(balance);
  const interest = b.times(rate).times(days).dividedBy(365).toDecimalPlaces(2);
  rows.push(`${name},${b.plus(interest).toFixed(2)},${interest.toFixed(2)}`);
  return interest;
}
let total = new Decimal(0);
(function next(i) {
  if (i === accounts.length) {
    writeFileSync('ledger.csv', rows.join('\n') + '\n');
    return console.log('total interest', total.toFixed(2));
  }
  total = total.plus(accrue(accounts[i], 30 + i));
  console.log(`${accounts[i][0]} done, running total ${total.toFixed(2)}`);
  setImmediate(next, i + 1);
})(0);
