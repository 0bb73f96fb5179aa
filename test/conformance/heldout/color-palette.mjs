// ferry-lines: 2,4
// color (an ES module package): a palette of Color objects mixed, lightened and rotated one step per
// timer, imported by name from an ESM program; the palette class is a module-level instance.
import Color from 'color';
import { appendFileSync } from 'node:fs';
class Palette {
  constructor(base) { this.colors = [Color(base)]; }
  step(i) {
    const last = this.colors.at(-1);
    const next = last.rotate(37).mix(Color('#ffffff'), 0.1).saturate(0.05 * i);
    this.colors.push(next);
    return next;
  }
}
const palette = new Palette('#3366cc');
let i = 0;
const iv = setInterval(() => {
  const c = palette.step(++i);
  const line = `${i} ${c.hex()} ${c.hsl().round().string()} ${c.isDark() ? 'dark' : 'light'} contrast=${c.contrast(Color('black')).toFixed(2)}`;
  console.log(line);
  appendFileSync('palette.txt', line + '\n');
  if (i === 6) clearInterval(iv);
}, 20);
