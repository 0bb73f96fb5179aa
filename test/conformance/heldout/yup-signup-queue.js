// ferry-lines: 2,5
// ferry-here: 55#2
// Sign-ups validated by yup schemas as they arrive: nested objects, transforms, a custom async
// test, conditional fields (when), and a class that keeps the accepted users and counts rejections.
const yup = require('yup');

const taken = new Set(['root', 'admin']);
const address = yup.object({
  city: yup.string().trim().required(),
  zip: yup.string().matches(/^\d{5}$/, 'zip must be 5 digits'),
});
const signup = yup.object({
  name: yup.string().trim().lowercase().min(3).required(),
  age: yup.number().integer().min(13).max(120).required(),
  plan: yup.mixed().oneOf(['free', 'pro']).default('free'),
  seats: yup.number().when('plan', { is: 'pro', then: (s) => s.min(2).required(), otherwise: (s) => s.strip() }),
  address,
}).test('name-free', 'name is taken', async (value) => !taken.has(value.name));

class Registry {
  #rejected = 0;
  users = [];
  accept = (user) => {
    taken.add(user.name);
    this.users.push(user);
  };
  reject() {
    this.#rejected++;
  }
  get summary() {
    return `${this.users.length} accepted, ${this.#rejected} rejected`;
  }
}

const registry = new Registry();
const incoming = [
  { name: '  Grace ', age: '36', address: { city: ' London ', zip: '12345' } },
  { name: 'ad', age: 20, address: { city: 'Paris', zip: '75001' } },
  { name: 'Linus', age: 54, plan: 'pro', seats: 3, address: { city: 'Helsinki', zip: '00100' } },
  { name: 'admin', age: 40, address: { city: 'Oslo', zip: '01500' } },
  { name: 'Ada', age: 11, address: { city: 'London', zip: 'x' } },
  { name: 'Barbara', age: 81, plan: 'pro', seats: 1, address: { city: 'Boston', zip: '02101' } },
  { name: 'Edsger', age: 72, plan: 'pro', seats: 2, address: { city: 'Austin', zip: '78701' } },
];

function next(i) {
  if (i === incoming.length) {
    console.log('done:', registry.summary, registry.users.map((u) => `${u.name}/${u.plan}`).join(' '));
    return;
  }
  signup
    .validate(incoming[i], { abortEarly: false })
    .then(
      (user) => {
        registry.accept(user);
        console.log(i, 'ok', JSON.stringify(user));
      },
      (error) => {
        registry.reject();
        console.log(i, 'rejected', error.errors.join('; '));
      },
    )
    .then(() => setTimeout(() => next(i + 1), 20));
}
next(0);
