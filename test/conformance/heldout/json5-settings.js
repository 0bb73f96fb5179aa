// ferry-lines: 2,4
// json5: layered settings parsed from JSON5 text with a reviver, merged step by step; a settings
// store (a class with a private field and a Map of listeners) notifies on each change.
const JSON5 = require('json5');
const fs = require('fs');
class Settings {
  #values = {};
  listeners = new Map();
  on(key, fn) { this.listeners.set(key, [...(this.listeners.get(key) || []), fn]); }
  merge(text) {
    const parsed = JSON5.parse(text, (k, v) => (typeof v === 'string' && v.startsWith('$') ? v.slice(1).toUpperCase() : v));
    for (const [k, v] of Object.entries(parsed)) {
      const old = this.#values[k];
      this.#values[k] = v;
      for (const fn of this.listeners.get(k) || []) fn(v, old);
    }
    return JSON5.stringify(this.#values, { quote: "'" });
  }
}
const settings = new Settings();
settings.on('level', (v, old) => console.log('level', old, '->', v));
settings.on('hosts', (v) => console.log('hosts', v.length));
const layers = [
  "{ level: 1, hosts: ['a'], // defaults\n name: '$base' }",
  "{ level: 2, extra: +Infinity, }",
  "{ hosts: ['a', 'b', 'c'], hex: 0x1F }",
  "{ level: 3, name: '$prod', nested: { deep: [1, 2,], }, }",
  "{ level: 4 }",
];
const timer = setInterval(() => {
  const out = settings.merge(layers.shift());
  fs.appendFileSync('settings.log', out + '\n');
  if (!layers.length) { clearInterval(timer); console.log('final', out); }
}, 25);
