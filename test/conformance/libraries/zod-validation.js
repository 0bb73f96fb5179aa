// ferry-lines: 2,4
// zod: a schema (objects of closures and class instances) validating a stream of records.
const { z } = require('zod');
const User = z.object({ name: z.string().min(2), age: z.number().int().positive(), tags: z.array(z.string()).default([]) });
const inputs = [{ name: 'ada', age: 36 }, { name: 'x', age: 3 }, { name: 'alan', age: 41, tags: ['math'] }, { name: 'grace', age: -1 }, { name: 'linus', age: 28 }, { name: 'ken', age: 1.5 }];
let n = 0;
const iv = setInterval(() => {
  const result = User.safeParse(inputs[n++]);
  console.log(n, result.success ? JSON.stringify(result.data) : result.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; '));
  if (n === inputs.length) clearInterval(iv);
}, 200);
