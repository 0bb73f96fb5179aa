// ferry-lines: 1,3
// Strings of every kind: long, non-Latin, emoji (surrogate pairs), control characters, NUL.
const parts = ['plain', 'ünïcödé', 'Ελληνικά', '日本語テキスト', '🚢⚓️🌊', 'tab\there', 'nul\u0000byte', 'x'.repeat(10000)];
const index = new Map(parts.map((p, i) => [p, i]));
let built = '';
let step = 0;
const iv = setInterval(() => {
  step++;
  built += parts[step % parts.length].slice(0, 12);
  console.log(step, JSON.stringify(built.slice(-30)), built.length, index.get('🚢⚓️🌊'), [...'🚢⚓️🌊'].length, parts[7].length);
  if (step === 7) clearInterval(iv);
}, 60);
