'use strict';
// super.method() in a resumed method resolves on the restored class hierarchy.
class Shape {
  constructor(name) { this.name = name; }
  describe() { return 'shape ' + this.name; }
}
class Square extends Shape {
  constructor(side) { super('square'); this.side = side; }
  describe() {
    const base = super.describe(); // @bp 1 2
    return `${base} side=${this.side} area=${this.side * this.side}`;
  }
}
for (const s of [2, 3, 4]) console.log(new Square(s).describe());
