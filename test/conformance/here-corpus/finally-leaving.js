'use strict';
// Breakpoints in a finally block entered by a `return` or a `throw`: V8 loses a debugger step that
// leaves such a block (the function returns, or throws, without pausing in its caller), so Ferry
// sets breakpoints in the callers' functions for that step, and with no caller of the program's
// under the frame (a timer's callback, an async function resumed by its await) it takes the
// program's next idle point. `@to LINE` says where the checkpoint is taken.
const released = [];

function withLock(name) {
  try {
    return `locked ${name}`;
  } finally {
    released.push(name); // @bp 1 @to 34
  }
}

function parse(text) {
  try {
    return JSON.parse(text);
  } finally {
    released.push(`parsed ${text.length}`); // @bp 2 @to 39
  }
}

function tidy() {
  try {
    return;
  } finally {
    released.push('tidy'); // @bp 1 @to 53
  }
}

const first = withLock('a');
console.log(first, withLock('b'));
try {
  parse('{"ok":true}');
  parse('{broken');
} catch (error) {
  console.log('caught', error.name);
}

async function load(id) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  try {
    return `item ${id}`;
  } finally {
    released.push(`load ${id}`); // @bp 1 @to idle
  }
}

setTimeout(() => {
  tidy();
  const tidied = released.length;
  load(tidied).then((item) => {
    console.log(item);
    setImmediate(() => console.log(released.join(',')));
  });
}, 5);
