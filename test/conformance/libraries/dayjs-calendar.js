// ferry-lines: 2,4
// dayjs: immutable date objects with a plugin (utc), stepping through a calendar in fixed UTC dates.
const dayjs = require('dayjs');
dayjs.extend(require('dayjs/plugin/utc'));
let day = dayjs.utc('2024-02-26T12:00:00Z');
const seen = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  day = day.add(1, 'day');
  seen.push(day.format('ddd'));
  console.log(n, day.format('YYYY-MM-DD'), day.daysInMonth(), seen.join(' '));
  if (n === 7) clearInterval(iv);
}, 200);
