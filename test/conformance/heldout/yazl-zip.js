// ferry-lines: 2,4
// yazl: a zip file built one entry per timer step with fixed mtimes, its output stream piped into a
// file that is only ended after the last entry; the ZipFile and its pending entries cross the checkpoint.
const yazl = require('yazl');
const fs = require('fs');
const zip = new yazl.ZipFile();
const mtime = new Date(Date.UTC(2024, 0, 2, 3, 4, 6));
const chunks = [];
zip.outputStream.on('data', (d) => chunks.push(d));
zip.outputStream.on('end', () => {
  const bytes = Buffer.concat(chunks);
  fs.writeFileSync('out.zip', bytes);
  console.log('zip bytes', bytes.length);
});
const files = { 'a.txt': 'alpha\n', 'dir/b.txt': 'bravo '.repeat(50), 'c.json': JSON.stringify({ c: [1, 2, 3] }), 'd.txt': 'delta', 'e.bin': 'e', 'f.txt': 'foxtrot '.repeat(9), 'g/h.txt': 'golf', 'i.bin': 'india' };
const names = Object.keys(files);
function add() {
  const name = names.shift();
  zip.addBuffer(Buffer.from(files[name]), name, { mtime, compress: name !== 'e.bin', mode: 0o100644 });
  console.log('added', name, 'pending', names.length);
  if (names.length) setTimeout(add, 60);
  else zip.end();
}
setTimeout(add, 60);
