// ferry-lines: 2,4
// ferry-here: 22#4
// source-map: a generator fed mappings line by line from a Readable's 'data' events (as a bundler
// would), then a consumer that maps stack positions of the generated file back to the sources.
const { Readable } = require('stream');
const { SourceMapGenerator, SourceMapConsumer } = require('source-map');

const generator = new SourceMapGenerator({ file: 'bundle.js', sourceRoot: '/app' });
const lines = [
  'a.js:1:0:init', 'a.js:2:4:load', 'b.js:10:2:parse', 'b.js:11:6:token', 'c.js:3:0:emit', 'c.js:7:8:flush',
];
let generatedLine = 0;
const feed = new Readable({
  objectMode: true,
  read() {
    const next = lines.shift();
    setTimeout(() => this.push(next ?? null), 12);
  },
});
feed.on('data', (entry) => {
  const [source, line, column, name] = entry.split(':');
  generatedLine++;
  generator.addMapping({
    generated: { line: generatedLine, column: generatedLine * 3 },
    original: { line: Number(line), column: Number(column) },
    source,
    name,
  });
  console.log('mapped', generatedLine, source, name);
});
feed.on('end', () => {
  const consumer = new SourceMapConsumer(generator.toString());
  for (const line of [1, 3, 6]) {
    const at = consumer.originalPositionFor({ line, column: line * 3 });
    console.log('bundle.js', `${line}:${line * 3}`, '->', `${at.source}:${at.line}:${at.column}`, at.name);
  }
  console.log('sources', consumer.sources.join(','));
});
