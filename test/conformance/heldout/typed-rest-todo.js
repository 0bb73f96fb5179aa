// ferry-lines: 3,6
// ferry-here: 21#2
// typed-rest-client: a todo API served by the program's own http server (raw-body reads each
// request, http-errors shapes the failures), driven by an async client script that awaits each
// call and a pause between steps; the checkpoint falls mid-script with the client's keep-alive
// agent and the store's Map alive.
const http = require('http');
const getRawBody = require('raw-body');
const createError = require('http-errors');
const { RestClient } = require('typed-rest-client/RestClient');

const todos = new Map();
let nextId = 1;
async function handle(req) {
  const [, , id] = req.url.split('/');
  if (req.method === 'GET' && !id) return [...todos.values()];
  if (req.method === 'POST') {
    const body = JSON.parse(await getRawBody(req, { encoding: 'utf8', limit: '1kb' }));
    if (!body.title) throw createError(422, 'title required');
    const todo = { id: nextId++, title: body.title, done: false };
    todos.set(todo.id, todo);
    return todo;
  }
  const todo = todos.get(Number(id));
  if (!todo) throw createError(404, `no todo ${id}`);
  if (req.method === 'PATCH') Object.assign(todo, JSON.parse(await getRawBody(req, { encoding: 'utf8' })));
  if (req.method === 'DELETE') todos.delete(todo.id);
  return todo;
}
const server = http.createServer((req, res) => {
  handle(req).then(
    (value) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value)),
    (err) => res.writeHead(err.status ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message })),
  );
});

const pause = () => new Promise((resolve) => setTimeout(resolve, 15));
async function script(client) {
  const steps = [
    () => client.create('/todos', { title: 'write report' }),
    () => client.create('/todos', { title: 'review PR' }),
    () => client.create('/todos', { title: 'water plants' }),
    () => client.update('/todos/2', { done: true }),
    () => client.create('/todos', {}),
    () => client.del('/todos/1'),
    () => client.get('/todos/9'),
    () => client.get('/todos'),
  ];
  for (const [i, step] of steps.entries()) {
    try {
      const res = await step();
      console.log(i + 1, res.statusCode, JSON.stringify(res.result));
    } catch (err) {
      console.log(i + 1, 'failed', err.statusCode, err.message);
    }
    await pause();
  }
}
server.listen(0, '127.0.0.1', async () => {
  const client = new RestClient('ferry-heldout', `http://127.0.0.1:${server.address().port}`, [], { keepAlive: true });
  await script(client);
  console.log('left:', [...todos.values()].map((t) => `${t.id}:${t.title}${t.done ? ' (done)' : ''}`).join(', '));
  client.client.dispose();
  server.close();
});
