// ferry-lines: 2
// Classes with private fields whose constructors destructure their parameters or give them
// defaults: making an instance again at restore must run none of that (the arguments are gone).
let made = 0;
const nextId = () => ++made;
class Codec {
  #parse;
  #stringify;
  #id;
  constructor(name, { parse, stringify }, [first, second = nextId()] = [], tag = `t${nextId()}`) {
    this.name = name;
    this.#parse = parse;
    this.#stringify = stringify;
    this.#id = `${first}/${second}/${tag}`;
  }
  roundTrip(v) { return `${this.name}#${this.#id} ${this.#stringify(this.#parse(v))}`; }
}
class Loud extends Codec {
  #volume;
  constructor({ volume = 1, ...rest } = {}) { super('loud', rest, ['x']); this.#volume = volume; }
  roundTrip(v) { return `${super.roundTrip(v)}!${this.#volume}`; }
}
const json = new Codec('json', JSON, ['a', 'b']);
const loud = new Loud({ volume: 3, parse: (s) => s.toUpperCase(), stringify: String });
let step = 0;
const iv = setInterval(() => {
  step++;
  console.log(step, json.roundTrip('{"n":1}'), loud.roundTrip('hey'), made, Codec.length, Loud.length);
  if (step === 4) clearInterval(iv);
}, 50);
