// ferry-lines: 1,2
// ferry-here: 18#2
// koa with @koa/router: a todo API with a middleware that counts what each request added, called
// by its own client over HTTP (one connection per request), one request after another.
const Koa = require('koa');
const Router = require('@koa/router');
const http = require('node:http');

const app = new Koa();
const router = new Router();
const todos = [];
app.use(async (ctx, next) => {
  const started = todos.length;
  await next();
  ctx.set('x-count', String(todos.length - started));
});
router.post('/todos/:title', (ctx) => {
  const todo = { id: todos.length + 1, title: ctx.params.title, done: false };
  todos.push(todo);
  ctx.body = todo;
});
router.get('/todos', (ctx) => {
  ctx.body = todos.filter((t) => !t.done);
});
app.use(router.routes());
const server = app.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const call = (method, path) =>
    new Promise((resolve, reject) => {
      const req = http.request({ port, method, path, host: '127.0.0.1', agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(`${res.statusCode} ${res.headers['x-count']} ${body}`));
      });
      req.on('error', reject);
      req.end();
    });
  for (const title of ['milk', 'eggs', 'bread']) {
    console.log(await call('POST', `/todos/${title}`));
    await new Promise((r) => setTimeout(r, 5));
  }
  console.log(await call('GET', '/todos'));
  server.close();
});
