// ferry-refuse: reads `field`, which is not a built-in global
// A computed instance-field key is evaluated again with the restored class (new instances need
// it). The class is made before its scope's variables get their values, so `[field]` would read
// undefined there (a restore printing NaN), or nothing at all when no function keeps `field`
// alive. Refused at checkpoint time instead.
const field = 'size';
const fieldName = () => field;
class Box { [field] = 3; get twice() { return this.size * 2; } }
console.log(new Box().twice, fieldName());
setInterval(() => new Box().twice, 1000);
