'use strict';
// A library in node_modules: a frame of it is on the stack at the checkpoint (visit), another
// function of it is only called after the restore (fail).

function visit(items, fn, at = 0) {
  if (at >= items.length) return;
  fn(items[at]);
  visit(items, fn, at + 1);
}

function fail(item) {
  return new Error(`cannot file ${item.id}`).stack;
}

module.exports = { visit, fail };
