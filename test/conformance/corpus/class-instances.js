// ferry-lines: 2,4
// Classes with inheritance, methods using super, getters, static members and instances.
class Shape {
  static count = 0;
  constructor(name) { this.name = name; Shape.count++; }
  describe() { return `${this.name} with area ${this.area.toFixed(2)}`; }
}
class Circle extends Shape {
  constructor(r) { super('circle'); this.r = r; }
  get area() { return Math.PI * this.r * this.r; }
  describe() { return `round ${super.describe()}`; }
}
class Rect extends Shape {
  constructor(w, h) { super('rect'); this.w = w; this.h = h; }
  get area() { return this.w * this.h; }
  grow() { this.w++; this.h++; return this; }
}
const shapes = [new Circle(1), new Rect(2, 3)];
let i = 0;
function tick() {
  shapes[1].grow();
  if (i % 2) shapes.push(new Circle(i));
  console.log(`${i}: ${shapes.map((s) => s.describe()).join('; ')} count=${Shape.count} proto=${Object.getPrototypeOf(shapes[0]) === Circle.prototype}`);
  if (++i < 8) setTimeout(tick, 60);
}
setTimeout(tick, 60);
