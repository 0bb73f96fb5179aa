'use strict';
// Breakpoints inside finally blocks: a frame cannot be resumed there (the completion that entered
// the block is not observable), so Ferry steps on. Stepping over the block's last statement stops
// the function at its return, its value already computed: a frame resumed there would return
// nothing, so Ferry steps once more, into the caller, which gets the value. `@to LINE` says where
// the checkpoint is taken.
function inner(v) {
  return v * 2;
}

function collect(list) {
  const out = [];
  for (const x of list) {
    try {
      out.push(`try ${x}`);
    } finally {
      out.push(`finally ${inner(x)}`); // @bp 2 @to 33
    }
  }
  return out.join(',');
}

function settle(x) {
  try {
    if (x > 1) return `early ${x}`;
  } finally {
    console.log('settled', x); // @bp 1 @to 29
  }
  return `late ${x}`;
}

const collected = collect([1, 2]);
console.log('collected', collected);
setTimeout(() => {
  console.log('settle', settle(1), settle(2));
  console.log('done');
}, 10);
