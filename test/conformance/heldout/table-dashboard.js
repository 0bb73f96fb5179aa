// ferry-lines: 6,12
// table: a dashboard re-rendered on every interval tick with column config (alignment, widths,
// a truncate) kept in one object; the rows are class instances that update themselves.
const { table, getBorderCharacters } = require('table');
class Service {
  constructor(name, rate) { this.name = name; this.rate = rate; this.served = 0; }
  tick() { this.served += this.rate; return this; }
  row() { return [this.name, String(this.served), this.served > 20 ? 'busy' : 'idle']; }
}
const services = [new Service('api', 4), new Service('worker', 7), new Service('cron-long-name', 1)];
const config = {
  border: getBorderCharacters('ramac'),
  columns: { 0: { width: 8, truncate: 8 }, 1: { alignment: 'right', width: 5 }, 2: { alignment: 'center', width: 6 } },
};
let ticks = 0;
const iv = setInterval(() => {
  ticks++;
  process.stdout.write(table([['name', 'served', 'state'], ...services.map((s) => s.tick().row())], config));
  if (ticks === 4) clearInterval(iv);
}, 25);
