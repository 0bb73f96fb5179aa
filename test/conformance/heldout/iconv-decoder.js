// ferry-lines: 2,4
// iconv-lite: streaming decoders (Shift_JIS and UTF-16LE) fed one small chunk per timer step, so a
// multi-byte character is split across chunks, and across the checkpoint, inside the decoder's state.
const iconv = require('iconv-lite');
const fs = require('fs');
const sjis = iconv.encode('日本語のテキスト、カタカナとかな。', 'Shift_JIS');
const utf16 = iconv.encode('Grüße, ñandú, 😀 fin', 'utf16le');
const decoders = [{ name: 'sjis', dec: iconv.getDecoder('Shift_JIS'), bytes: sjis, out: '' }, { name: 'u16', dec: iconv.getDecoder('utf16le'), bytes: utf16, out: '' }];
let at = 0;
const iv = setInterval(() => {
  for (const d of decoders) d.out += d.dec.write(d.bytes.subarray(at, at + 5));
  at += 5;
  console.log(at, decoders.map((d) => `${d.name}=${d.out}`).join(' | '));
  if (at >= Math.max(sjis.length, utf16.length)) {
    clearInterval(iv);
    for (const d of decoders) d.out += d.dec.end() || '';
    fs.writeFileSync('decoded.txt', decoders.map((d) => d.out).join('\n'));
    console.log('done', iconv.encode(decoders[0].out, 'Shift_JIS').equals(sjis));
  }
}, 15);
