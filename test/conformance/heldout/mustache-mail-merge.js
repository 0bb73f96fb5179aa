// ferry-lines: 2,3
// ferry-here: 13#2
// A mail merge: mustache templates with partials, rendered per recipient on a timer and written
// to an outbox directory.
const Mustache = require('mustache');
const { mkdirSync, writeFileSync } = require('node:fs');

const layout = 'To: {{email}}\nSubject: {{subject}}\n\n{{> body}}\n--\n{{signature}}';
const partials = { body: 'Hi {{name}},\n{{#items}}- {{title}} x{{qty}}\n{{/items}}{{^items}}Nothing this week.\n{{/items}}' };
const recipients = [{ name: 'Ann', email: 'ann@x.org', items: [{ title: 'tea', qty: 2 }] }, { name: 'Bo', email: 'bo@x.org', items: [] }, { name: 'Cy', email: 'cy@x.org', items: [{ title: 'jam', qty: 1 }, { title: 'bread', qty: 3 }] }];
mkdirSync('outbox', { recursive: true });
function send(r, i) {
  const text = Mustache.render(layout, { ...r, subject: `Weekly #${i + 1}`, signature: 'The Shop' }, partials);
  writeFileSync(`outbox/${i}-${r.name.toLowerCase()}.txt`, text);
  console.log(`sent ${r.email} (${text.split('\n').length} lines)`);
}
recipients.forEach((r, i) => setTimeout(send, 6 * (i + 1), r, i));
setTimeout(() => console.log('outbox done'), 40);
