'use strict';
// Checkpoint Here inside fs callbacks: writeFile's, then readFile's, then an fs.WriteStream
// write() callback. The restored program reads and writes the same files (in its working
// directory: restored on another host, they are there).
const fs = require('node:fs');

const file = 'notes.txt';
const log = fs.createWriteStream('fs.log');

function afterRead(error, data) {
  const lines = data.toString().split('\n'); // @bp 1 2
  console.log(`read ${lines.length} line(s): ${lines.join('|')}`);
  log.write(`read ${lines.length}\n`, function afterLog() {
    console.log(`logged ${log.bytesWritten} byte(s)`); // @bp 1
    if (lines.length < 3) fs.appendFile(file, `\nline ${lines.length + 1}`, afterWrite);
    else log.end('done\n', () => console.log('log closed'));
  });
}

function afterWrite(error) {
  console.log('wrote', error ?? 'ok'); // @bp 2
  fs.readFile(file, afterRead);
}

fs.writeFile(file, 'line 1', afterWrite);
