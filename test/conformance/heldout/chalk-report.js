// ferry-lines: 2,4
// chalk: a fixed-level Instance (no TTY needed) building styled lines; styles are chains of builder
// functions kept in a theme object and reused across the checkpoint; a report file is appended to.
const chalk = require('chalk');
const fs = require('fs');
const c = new chalk.Instance({ level: 2 });
const theme = { ok: c.green.bold, warn: c.keyword('orange'), err: c.bgRed.white, dim: c.gray.italic };
const results = [['build', 'ok'], ['lint', 'warn'], ['test', 'ok'], ['deploy', 'err'], ['docs', 'ok'], ['bench', 'warn']];
let i = 0;
const tally = {};
function report() {
  const [name, status] = results[i++];
  tally[status] = (tally[status] || 0) + 1;
  const line = `${theme.dim(String(i).padStart(2))} ${name.padEnd(8)} ${theme[status](status.toUpperCase())}`;
  console.log(JSON.stringify(line));
  fs.appendFileSync('report.txt', line + '\n');
  if (i < results.length) setTimeout(report, 25);
  else console.log(c`{bold summary:} {green ${tally.ok}} ok, {yellow ${tally.warn}} warn, {red ${tally.err}} err`);
}
setTimeout(report, 25);
