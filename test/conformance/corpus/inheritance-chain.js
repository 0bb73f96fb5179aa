// ferry-lines: 1,3
// Three levels of classes with super calls in methods and statics, instanceof along the chain.
class Animal {
  static kingdom() { return 'animalia'; }
  constructor(name) { this.name = name; this.age = 0; }
  describe() { return `${this.name} (${this.age})`; }
}
class Dog extends Animal {
  static kingdom() { return `${super.kingdom()}/canis`; }
  describe() { return `dog ${super.describe()}`; }
}
class Puppy extends Dog {
  describe() { return `small ${super.describe()}`; }
  grow() { this.age++; return this; }
}
const p = new Puppy('rex');
let step = 0;
const iv = setInterval(() => {
  step++;
  p.grow();
  console.log(step, p.describe(), Puppy.kingdom(), p instanceof Dog, p instanceof Animal, Object.getPrototypeOf(Puppy) === Dog);
  if (step === 7) clearInterval(iv);
}, 60);
