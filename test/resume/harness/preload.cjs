// Loaded with --require into programs under test: counts the bytes the program has written to
// stdout, so a pause can say exactly which prefix of the output came before it.
'use strict';
const write = process.stdout.write.bind(process.stdout);
let bytes = 0;
Object.defineProperty(globalThis, '__ferryStdoutBytes', { get: () => bytes, enumerable: false });
process.stdout.write = (chunk, ...rest) => {
  bytes += Buffer.byteLength(chunk, typeof rest[0] === 'string' ? rest[0] : 'utf8');
  return write(chunk, ...rest);
};
