// ferry-refuse: reads `field`, which is not a built-in global nor a constant primitive or symbol
// A computed instance-field key is evaluated again with the restored class (new instances need
// it). The restore gives the class's scope the constant primitives and symbols first, but `field`
// was reassigned after the class was made: its value now is not the key the class read, and a
// restore would name the field `other`. Refused at checkpoint time instead.
let field = 'size';
const fieldName = () => field;
class Box { [field] = 3; get twice() { return this.size * 2; } }
field = 'other';
console.log(new Box().twice, fieldName());
setInterval(() => new Box().twice, 1000);
