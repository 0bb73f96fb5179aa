// ferry-lines: 2,4
// ferry-here: 20#3
// form-data: multipart uploads piped into an HTTP server of the program's own, which checksums
// each body as it streams in (buffer-crc32) and files it in a Map; one upload at a time, the next
// sent from the previous response's callback after a short pause.
const http = require('http');
const FormData = require('form-data');
const crc32 = require('buffer-crc32');
const fs = require('fs');

const received = new Map();
const server = http.createServer((req, res) => {
  let crc = 0;
  let bytes = 0;
  req.on('data', (chunk) => {
    crc = crc32.unsigned(chunk, crc);
    bytes += chunk.length;
  });
  req.on('end', () => {
    const name = req.headers['x-upload'];
    received.set(name, { bytes, crc: crc.toString(16) });
    fs.appendFileSync('uploads.log', `${name} ${bytes} ${crc.toString(16)}\n`);
    res.end(JSON.stringify({ stored: received.size }));
  });
});

const uploads = [
  { name: 'notes', fields: { title: 'Notes', body: 'buy milk\nwalk dog' } },
  { name: 'photo', fields: { title: 'Photo', blob: Buffer.alloc(3000, 7) } },
  { name: 'csv', fields: { title: 'Sheet', rows: 'a,b\n1,2\n3,4\n' } },
  { name: 'empty', fields: { title: '' } },
  { name: 'json', fields: { data: JSON.stringify({ deep: { list: [1, 2, 3] } }) } },
];

function send(index, port) {
  if (index === uploads.length) {
    console.log('all stored:', [...received.keys()].join(','));
    return server.close();
  }
  const { name, fields } = uploads[index];
  const form = new FormData();
  form.setBoundary(`ferry-boundary-${index}`);
  for (const [key, value] of Object.entries(fields))
    Buffer.isBuffer(value) ? form.append(key, value, { filename: `${key}.bin` }) : form.append(key, value);
  const req = http.request({ port, method: 'POST', headers: { ...form.getHeaders(), 'x-upload': name } });
  form.pipe(req);
  req.on('response', (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d) => (text += d));
    res.on('end', () => {
      const { bytes, crc } = received.get(name);
      console.log(`${name}: ${bytes} bytes crc ${crc} -> ${text}`);
      setTimeout(() => send(index + 1, port), 15);
    });
  });
}

server.listen(0, '127.0.0.1', () => send(0, server.address().port));
