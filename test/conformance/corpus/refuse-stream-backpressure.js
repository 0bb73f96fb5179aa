// ferry-lines: 1
// ferry-refuse: a pipe waiting for its destination to drain
// A pipe whose destination is full (nobody reads the Transform's output): the source is paused,
// waiting for 'drain' on a listener pipe() made on the way. Not carried yet: refused, named.
const { PassThrough, Transform } = require('node:stream');
const source = new PassThrough();
const sink = new Transform({ highWaterMark: 4, transform(chunk, enc, cb) { cb(null, chunk); } });
source.pipe(sink);
for (let i = 0; i < 20; i++) source.write(`chunk ${i}\n`);
console.log('written, buffered', source.readableLength, sink.writableLength);
setInterval(() => console.log('still buffered', source.readableLength, sink.writableLength), 1000);
