// Plain-data capture of the values the harness restores, with object identity kept across every
// value of one pause (one encode call). The full object-graph capture is snapshot/capture's job;
// this covers what the corpus programs hold: primitives, arrays, plain objects, instances of
// module-level classes, Maps, Sets, Dates and functions (module-level by name, others by source).

/**
 * Runs in the target (Runtime.callFunctionOn): arguments[0] is the module scope object,
 * arguments[1] the names of its function and class declarations (re-declared from source by the
 * restore program, so referenced by name); the rest are the values to encode.
 */
export const ENCODE = `function () {
  const moduleScope = arguments[0] || {};
  const byValue = new Map();
  for (const name of arguments[1]) {
    const v = moduleScope[name];
    if (typeof v === 'function' && !byValue.has(v)) byValue.set(v, name);
  }
  const seen = new Map();
  const enc = (v) => {
    if (v === undefined) return { t: 'u' };
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? { t: 'p', v } : { t: 'n', v: Object.is(v, -0) ? '-0' : String(v) };
    if (typeof v === 'bigint') return { t: 'b', v: String(v) };
    if (typeof v === 'symbol') throw new Error('symbols are not supported by the resume harness');
    if (v === null || typeof v !== 'object' && typeof v !== 'function') return { t: 'p', v };
    if (v === globalThis) return { t: 'global' };
    if (seen.has(v)) return { t: 'r', id: seen.get(v) };
    const id = seen.size;
    seen.set(v, id);
    if (typeof v === 'function') return byValue.has(v) ? { t: 'f', id, mod: byValue.get(v) } : { t: 'f', id, src: Function.prototype.toString.call(v) };
    if (Array.isArray(v)) return { t: 'a', id, items: Array.from(v, enc) };
    if (v instanceof Map) return { t: 'm', id, entries: Array.from(v, ([k, x]) => [enc(k), enc(x)]) };
    if (v instanceof Set) return { t: 's', id, items: Array.from(v, enc) };
    if (v instanceof Date) return { t: 'd', id, v: v.getTime() };
    const tag = Object.prototype.toString.call(v);
    if (tag === '[object Generator]' || tag === '[object AsyncGenerator]') return { t: 'g', id };
    if (tag === '[object Arguments]') return { t: 'args', id, items: Array.from(v, enc) };
    const proto = Object.getPrototypeOf(v);
    const cls = proto && proto !== Object.prototype && byValue.get(proto.constructor);
    const props = Object.keys(v).map((k) => [k, enc(v[k])]);
    return { t: 'o', id, cls: cls || (proto === null ? null : undefined), props };
  };
  return Array.prototype.slice.call(arguments, 2).map(enc);
}`;

/** Emitted into restore programs: rebuilds encoded values; \`mod(name)\` reads a module binding. */
export const DECODE = `function $ferryDecode(values, mod) {
  const made = [];
  // Method shorthand (\`m() {}\`) is not an expression on its own: read it back off an object.
  const fromSource = (src) => { try { return mod('(' + src + ')'); } catch { return Object.values(mod('({' + src + '})'))[0]; } };
  const dec = (x) => {
    switch (x.t) {
      case 'u': return undefined;
      case 'global': return globalThis;
      case 'p': return x.v;
      case 'n': return x.v === '-0' ? -0 : Number(x.v);
      case 'b': return BigInt(x.v);
      case 'r': return made[x.id];
      case 'f': return (made[x.id] = x.mod ? mod(x.mod) : fromSource(x.src));
      case 'a': { const a = made[x.id] = []; for (const i of x.items) a.push(dec(i)); return a; }
      case 'args': { const a = made[x.id] = (function () { return arguments; })(); Array.prototype.push.apply(a, x.items.map(dec)); return a; }
      case 'm': { const m = made[x.id] = new Map(); for (const [k, v] of x.entries) m.set(dec(k), dec(v)); return m; }
      case 's': { const s = made[x.id] = new Set(); for (const v of x.items) s.add(dec(v)); return s; }
      case 'd': return (made[x.id] = new Date(x.v));
      case 'g': return (made[x.id] = { $ferryGenerator: true });
      case 'o': {
        const o = made[x.id] = x.cls === null ? Object.create(null) : x.cls ? Object.create(mod(x.cls).prototype) : {};
        for (const [k, v] of x.props) o[k] = dec(v);
        return o;
      }
    }
    throw new Error('unknown value ' + JSON.stringify(x));
  };
  return values.map(dec);
}`;

export type Encoded = { t: string; [key: string]: unknown };
