// ferry-lines: 2,5
// ferry-here: 34#2
// handlebars + node-cache: compiled templates with helpers and a partial, cached as functions in a
// NodeCache; invoices rendered from an interval into a write stream. Breakpoint inside the render.
const Handlebars = require('handlebars');
const NodeCache = require('node-cache');
const fs = require('fs');
const cache = new NodeCache({ stdTTL: 0, useClones: false });
Handlebars.registerHelper('upper', (s) => String(s).toUpperCase());
Handlebars.registerHelper('money', (n) => '$' + Number(n).toFixed(2));
Handlebars.registerPartial('line', '{{upper name}} x{{qty}} = {{money total}}');
const templates = {
  invoice: '#{{id}} for {{customer}}\n{{#each items}}  {{> line}}\n{{/each}}total {{money sum}}',
  summary: '{{count}} invoices, {{money grand}}',
};
function compiled(name) {
  let fn = cache.get(name);
  if (!fn) {
    fn = Handlebars.compile(templates[name]);
    cache.set(name, fn);
    console.log('compiled', name);
  }
  return fn;
}
const out = fs.createWriteStream('invoices.txt');
let grand = 0;
let id = 0;
function render(customer, items) {
  const rows = items.map(([name, qty, price]) => ({ name, qty, total: qty * price }));
  const sum = rows.reduce((a, r) => a + r.total, 0);
  grand += sum;
  const text = compiled('invoice')({ id: ++id, customer, items: rows, sum });
  out.write(text + '\n');
  console.log(text.split('\n')[0], sum);
}
const queue = [
  ['ann', [['pen', 2, 1.5], ['ink', 1, 4]]],
  ['bob', [['pad', 3, 2.25]]],
  ['cy', [['pen', 10, 1.5], ['pad', 1, 2.25], ['tape', 2, 0.99]]],
  ['dee', [['ink', 4, 4]]],
];
const timer = setInterval(() => {
  const next = queue.shift();
  if (!next) {
    clearInterval(timer);
    console.log(compiled('summary')({ count: id, grand }));
    console.log('stats', JSON.stringify(cache.getStats()));
    out.end(() => console.log('written', fs.readFileSync('invoices.txt', 'utf8').length));
    return;
  }
  render(next[0], next[1]);
}, 30);
