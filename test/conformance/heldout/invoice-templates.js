// ferry-lines: 1,2
// ferry-here: 11#3
// Renders invoices with nunjucks: a custom filter formats each amount, and a breakpoint set inside
// that filter is where a user would stop to look at one line of one invoice.
const nunjucks = require('nunjucks');

const env = new nunjucks.Environment(null, { autoescape: true });
let formatted = 0;
env.addFilter('money', function money(value, currency) {
  formatted++;
  const text = `${currency} ${value.toFixed(2)}`;
  return text;
});
const template = env.renderString.bind(env);
const invoices = [
  { id: 'A-1', customer: 'Ada', lines: [{ item: 'Tea', amount: 4.5 }, { item: 'Cake', amount: 3.25 }] },
  { id: 'A-2', customer: 'Bob', lines: [{ item: 'Coffee', amount: 2.8 }] },
  { id: 'A-3', customer: 'Cyd', lines: [{ item: 'Juice', amount: 3.1 }, { item: 'Bun', amount: 1.9 }] },
];
const source = '{{ inv.id }} for {{ inv.customer }}:{% for l in inv.lines %} {{ l.item }}={{ l.amount | money("EUR") }}{% endfor %}';
let i = 0;
function next() {
  const inv = invoices[i++];
  console.log(template(source, { inv }));
  if (i < invoices.length) setTimeout(next, 10);
  else console.log('filters applied', formatted);
}
next();
