// ferry-lines: 2,4
// A subclass of EventEmitter made as CoffeeScript compiles `extends` (xml2js's Parser is one): the
// parent's enumerable statics are copied onto the child, and among them the class Node exports
// through a getter, events.EventEmitterAsyncResource. The copied class is Node's own, named so.
const events = require('events');
const hasProp = {}.hasOwnProperty;
function extend(child, parent) {
  for (const key in parent) if (hasProp.call(parent, key)) child[key] = parent[key];
  function ctor() { this.constructor = child; }
  ctor.prototype = parent.prototype;
  child.prototype = new ctor();
  child.__super__ = parent.prototype;
  return child;
}
const Parser = extend(function Parser(name) { events.EventEmitter.call(this); this.name = name; this.seen = 0; }, events.EventEmitter);
const parser = new Parser('feed');
parser.on('item', function (n) { this.seen++; console.log(this.name, 'item', n, 'seen', this.seen); });
let n = 0;
const timer = setInterval(() => {
  parser.emit('item', ++n);
  if (n === 6) {
    clearInterval(timer);
    console.log('same class', Parser.EventEmitterAsyncResource === events.EventEmitterAsyncResource);
  }
}, 20);
