// ferry-lines: 2,4
// FileHandles of fs/promises held across a checkpoint: one reading a file part way (the next read
// with no position goes on from where the last one stopped), one appending to a log, one writing
// at positions of its own, one closed already. Each is reopened on its file at its offset; what is
// read and written after a restore is what an uninterrupted run reads and writes.
const fsp = require('node:fs/promises');

async function main() {
  await fsp.writeFile('input.txt', 'alpha\nbravo\ncharlie\ndelta\necho\n');
  await fsp.writeFile('table.bin', Buffer.alloc(8, '.'));
  const input = await fsp.open('input.txt', 'r');
  const log = await fsp.open('log.txt', 'a');
  const table = await fsp.open('table.bin', 'r+');
  const closed = await fsp.open('input.txt', 'r');
  await closed.close();
  input.on('close', () => console.log('input closed'));
  const chunk = Buffer.alloc(4);
  let step = 0;
  const next = async () => {
    step++;
    const { bytesRead } = await input.read(chunk, 0, 4, null);
    await log.appendFile(`step ${step}: ${JSON.stringify(chunk.toString('utf8', 0, bytesRead))}\n`);
    await table.write(String(step), step - 1);
    console.log(step, bytesRead, JSON.stringify(chunk.toString('utf8', 0, bytesRead)), input.fd === log.fd, closed.fd);
    if (step < 8) return setTimeout(next, 60);
    await Promise.all([input.close(), log.close(), table.close()]);
    console.log('table', await fsp.readFile('table.bin', 'utf8'));
  };
  setTimeout(next, 60);
}
main();
