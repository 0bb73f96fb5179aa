// ferry-lines: 1,3
// ferry-here: 17#2
// lowdb (a JSON file database, an ES module) with nanoid and date-fns, at the top level of an ES
// module: notes added one per timer tick, each written to disk, then one removed.
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { nanoid } from 'nanoid';
import { format, addDays } from 'date-fns';
import { setTimeout as sleep } from 'node:timers/promises';

const db = new Low(new JSONFile('notes.json'), { notes: [] });
await db.read();
const start = new Date(Date.UTC(2024, 4, 1));
const titles = ['groceries', 'call mom', 'fix bike', 'taxes'];
for (const [i, title] of titles.entries()) {
  await sleep(5);
  db.data.notes.push({ id: i + 1, title, due: format(addDays(start, i * 3), 'yyyy-MM-dd'), tag: nanoid(4).length });
  await db.write();
  console.log(`added ${title}, ${db.data.notes.length} notes`);
}
db.data.notes = db.data.notes.filter((n) => n.title !== 'taxes');
await db.write();
console.log('kept', db.data.notes.map((n) => `${n.id}:${n.due}`).join(' '));
