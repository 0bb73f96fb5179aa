'use strict';
// Error stacks after a Checkpoint Here read as in an uninterrupted run: each frame resumed from
// the paused stack (the program's, and a library's in node_modules) by its own name, file, line
// and column, through err.stack, console.trace and an uncaught exception; and the functions
// compiled after the restore (a TypeScript build's output naming its source map, which a run
// without --enable-source-maps does not apply, and a library's) as well. Files are shown by base
// name (the restore runs in another directory). The outermost frame is a timer's callback, which
// V8 names `[as _onTimeout]` by the Timeout's property holding it, and Node's timer code under it
// is played by the restore: the stacks printed stop above it.
const shape = require('./error-stacks/lib/shape.js');
const lib = require('./error-stacks/node_modules/tiny-lib');

/** What console.trace writes (to stderr, which the oracle does not compare), as a string. */
function traceOf(...args) {
  let text = '';
  process.stderr.write = (chunk) => (text += chunk).length > 0;
  try {
    console.trace(...args);
  } finally {
    delete process.stderr.write;
  }
  return text;
}

const shown = (line) => line.trim().replace(/(?:file:\/\/)?\/[^\s()]*\//g, '');
const top = (stack, depth) => stack.split('\n').slice(1, 1 + depth).map(shown).join(' | ');

function describe(item) {
  const area = shape.area(item);
  const error = new Error(`item ${item.id}`); // @bp 2
  console.log(`described ${item.id} (${area}): ${top(error.stack, 4)}`);
  console.log(`  filed: ${top(lib.fail(item), 3)}`);
  console.log(`  ${top(traceOf('traced', item.id), 4)}`);
  if (item.id === 'c') shape.area({ id: 'd', w: -1, h: 1 });
  return area;
}

function survey(items) {
  const areas = [];
  lib.visit(items, function each(item) {
    areas.push(describe(item));
  });
  return areas.reduce((a, b) => a + b, 0);
}

process.on('uncaughtException', (error, origin) => {
  console.log(`${origin}: ${error.message}: ${top(error.stack, 6)}`);
  console.log('done');
});

setTimeout(function start() {
  const items = [
    { id: 'a', w: 2, h: 3 },
    { id: 'b', w: 4, h: 5 },
    { id: 'c', w: 1, h: 1 },
  ];
  console.log('total', survey(items));
}, 5);
