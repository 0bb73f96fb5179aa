'use strict';
function stop(v) { debugger; return v; }
const o = { m(v) { return stop(v); }, get g() { return stop(1); }, set s(v) { stop(v); }, k: { f: stop } };
class Base { constructor(v) { stop(v); } }
class Derived extends Base { constructor(v) { super(v); } meth(v) { return super.meth2(v); } }
Base.prototype.meth2 = function (v) { return stop(v); };
function tag(s, v) { return stop(v); }
const a = 1, b = 2;
stop(1);
const x1 = 1 + stop(2) * 2;
const x2 = o.m(3);
const x3 = o.k.f(a, stop(4));
const x4 = `t${a}-${stop(5)}`;
const x5 = o?.m(6);
const x6 = [a, ...[stop(7)]];
const { p = stop(8) } = {};
const x7 = o.g;
o.s = 9;
new Base(10);
new Derived(11);
new Derived(1).meth(12);
const x8 = tag`a${13}`;
const x9 = o["m"](14);
if (stop(15)) { }
for (let i = 0; i < stop(1); i++) { break; }
const x10 = (0, stop)(16);
const x11 = a ? stop(17) : 0;
const x12 = [1, 2].map((v) => stop(v));
const x13 = stop(stop(18));
function* gen() { const r = yield stop(19); stop(r); }
const it = gen(); it.next(); it.next(20);
for (const v of gen()) { }
    stop(21); stop(22);
const x14 = o.k
  .f(23);
