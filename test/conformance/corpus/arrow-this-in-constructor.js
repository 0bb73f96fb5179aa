// ferry-lines: 1,3
// Arrows made in a constructor that read its `this`, one struct built from another's fields (as
// superstruct's refine does): the first struct is reached only through the second, its identity
// arrow before its validator, whose `this` must still be the first struct after the restore.
function failures(result, struct, value) {
  return result === true ? [] : [`${struct.type} rejects ${JSON.stringify(value)}`];
}
class Struct {
  constructor(props) {
    const { type, validator, refiner = () => true, coercer = (value) => value } = props;
    this.type = type;
    this.coercer = coercer;
    this.validator = (value) => {
      const inner = validator(value); // true or false, or the failures of the struct this one refines
      if (Array.isArray(inner) && inner.length > 0) return inner;
      return failures((inner === true || Array.isArray(inner)) && refiner(value), this, value);
    };
  }
}
const positive = (() => {
  const number = new Struct({ type: 'number', validator: (v) => typeof v === 'number' });
  return new Struct({ ...number, type: 'positive', refiner: (v) => v > 0 });
})();
const values = [3, -1, 'x', 0, 7, null];
let i = 0;
const timer = setInterval(() => {
  const v = values[i++];
  console.log(i, JSON.stringify([positive.validator(v), positive.coercer(v)]));
  if (i === values.length) clearInterval(timer);
}, 30);
