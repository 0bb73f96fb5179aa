// ferry-lines: 2,4
// Objects and functions Node makes for a program: URLs (and a URL's own searchParams, held apart
// and changed through it), text codecs, abort controllers, a once
// listener, a deprecated wrapper, a debuglog logger, a promisified function, a bound timer callback, diagnostics channels;
// and closure variables named like Object.prototype's methods.
const util = require('util');
const dc = require('diagnostics_channel');
const { EventEmitter } = require('events');
const url = new URL('https://example.com:8443/a/b?x=1#frag');
const params = new URLSearchParams('q=ferry&n=2');
const query = url.searchParams;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const idle = new AbortController();
const cancelled = new AbortController();
cancelled.abort('enough');
const emitter = new EventEmitter();
emitter.once('ping', (n) => console.log('once ping', n));
emitter.on('ping', (n) => console.log('ping', n));
emitter.once('late', (n) => console.log('once late', n, emitter.listenerCount('late')));
const oldAdd = util.deprecate((a, b) => a + b, 'oldAdd is deprecated', 'DEP_FERRY');
const log = util.debuglog('ferrytest');
const doubleLater = util.promisify((v, callback) => callback(null, v * 2));
const channel = dc.channel('ferry:test');
const tracing = dc.tracingChannel('ferry:trace');
let hasOwnProperty = 1, toString = 'two', valueOf = [3];
const counter = { n: 0, step() { this.n++; return this.n; } };
let n = 0;
const iv = setInterval(function tick() {
  n++;
  query.set('n', String(n));
  params.append('k', String(n));
  const bytes = encoder.encode(`tick ${n} é`);
  emitter.emit('ping', n);
  if (n >= 5) emitter.emit('late', n);
  doubleLater(n).then((v) => console.log('promisified', v));
  console.log(n, url.href, params.toString(), decoder.decode(bytes), bytes.length, idle.signal.aborted, cancelled.signal.reason,
    oldAdd(n, 1), log.enabled, channel.hasSubscribers, tracing.start.name, hasOwnProperty + n, toString, valueOf.length, this.step());
  if (n === 6) clearInterval(iv);
}.bind(counter), 200);
