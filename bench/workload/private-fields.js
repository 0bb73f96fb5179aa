// N instances of a class with two private fields (`private`) or of the same class with public ones:
// what reading private fields costs a checkpoint (bench/private-fields.ts).
const N = Number(process.argv[2] || 10000);
const PRIV = process.argv[3] === 'private';
class Plain { constructor(i) { this.a = i; this.b = `v${i}`; } get sum() { return this.a; } }
class Priv { #a; #b; constructor(i) { this.#a = i; this.#b = `v${i}`; } get sum() { return this.#a; } }
const items = Array.from({ length: N }, (_, i) => (PRIV ? new Priv(i) : new Plain(i)));
console.log('ready', items.length);
setInterval(() => items.length, 1000);
