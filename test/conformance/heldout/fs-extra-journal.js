// ferry-lines: 2,4
// ferry-here: 17#3
// fs-extra: a journal kept in files under the program's directory, one entry per timer step:
// outputJson writes the state file (making its directory), appendFile adds to the log, readJson
// reads the state back; the state and the loop awaiting fs-extra's promises cross the checkpoint.
const fs = require('fs-extra');
const path = require('path');
const dir = path.join(__dirname, 'journal');
const statePath = path.join(dir, 'state', 'current.json');
const logPath = path.join(dir, 'entries.log');
const state = { step: 0, total: 0, names: [] };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function main() {
  await fs.emptyDir(dir);
  for (const name of ['ada', 'grace', 'alan', 'edsger', 'barbara', 'donald']) {
    state.step++;
    state.total += name.length;
    state.names.push(name);
    await fs.outputJson(statePath, state, { spaces: 1 });
    await fs.appendFile(logPath, `${state.step} ${name}\n`);
    const back = await fs.readJson(statePath);
    console.log(back.step, name, back.total, back.names.length);
    await sleep(15);
  }
  const lines = (await fs.readFile(logPath, 'utf8')).trim().split('\n');
  console.log('log', lines.length, (await fs.pathExists(statePath)) ? 'state kept' : 'state missing');
}
main();
