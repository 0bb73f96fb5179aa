// ferry-lines: 2,4
// path-to-regexp: routes compiled with match() and compile() into a small router class; URLs arrive
// on a timer chain and each handler's result is appended to an access log.
const { match, compile } = require('path-to-regexp');
const fs = require('fs');
class Router {
  constructor() { this.routes = []; this.hits = Object.create(null); }
  add(pattern, handler) { this.routes.push({ pattern, test: match(pattern, { decode: decodeURIComponent }), handler }); }
  dispatch(url) {
    for (const r of this.routes) {
      const m = r.test(url);
      if (m) { this.hits[r.pattern] = (this.hits[r.pattern] || 0) + 1; return r.handler(m.params); }
    }
    return '404';
  }
}
const userUrl = compile('/users/:id');
const router = new Router();
router.add('/users/:id', ({ id }) => `user ${id} -> ${userUrl({ id: String(Number(id) + 1) })}`);
router.add('/files/*path', ({ path }) => `file ${path.join('/')}`);
router.add('/search{/:term}', ({ term }) => `search ${term ?? '(all)'}`);
const urls = ['/users/7', '/files/a/b/c.txt', '/search', '/search/caf%C3%A9', '/nope', '/users/41'];
function next() {
  const url = urls.shift();
  const out = router.dispatch(url);
  console.log(url, '=>', out);
  fs.appendFileSync('access.log', `${url} ${out}\n`);
  if (urls.length) setTimeout(next, 20);
  else console.log('hits', JSON.stringify(router.hits));
}
setTimeout(next, 20);
