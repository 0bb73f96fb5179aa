// ferry-lines: 2,5
// ferry-here: 24#3
// cookie + cookie-signature + negotiator + content-type: a small session server (signed session
// cookies, a visit counter per session, answers in the type the client prefers) and a client that
// keeps its cookie jar in a Map and sends one request per timer tick.
const http = require('http');
const cookie = require('cookie');
const signature = require('cookie-signature');
const Negotiator = require('negotiator');
const contentType = require('content-type');

const SECRET = 'not-so-secret';
const sessions = new Map();
let nextSession = 1;
function sessionOf(req) {
  const raw = cookie.parse(req.headers.cookie ?? '').sid;
  const id = raw && signature.unsign(raw, SECRET);
  if (id && sessions.has(id)) return { id, session: sessions.get(id), fresh: false };
  const fresh = `s${nextSession++}`;
  sessions.set(fresh, { visits: 0, langs: new Set() });
  return { id: fresh, session: sessions.get(fresh), fresh: true };
}
const server = http.createServer((req, res) => {
  const { id, session, fresh } = sessionOf(req);
  const negotiator = new Negotiator(req);
  session.visits++;
  session.langs.add(negotiator.language(['en', 'fr', 'de']) ?? 'en');
  const type = negotiator.mediaType(['application/json', 'text/plain']);
  const body = { id, visits: session.visits, langs: [...session.langs] };
  if (fresh) res.setHeader('set-cookie', cookie.serialize('sid', signature.sign(id, SECRET), { httpOnly: true, path: '/' }));
  res.setHeader('content-type', contentType.format({ type, parameters: { charset: 'utf-8' } }));
  res.end(type === 'application/json' ? JSON.stringify(body) : `${id} visit ${body.visits} (${body.langs})`);
});

const jar = new Map();
const requests = [
  { user: 'ann', accept: 'application/json', lang: 'fr' },
  { user: 'bob', accept: 'text/plain', lang: 'de;q=0.9, en;q=0.5' },
  { user: 'ann', accept: 'text/plain;q=0.5, application/json', lang: 'en' },
  { user: 'ann', accept: 'text/*', lang: 'it, de;q=0.1' },
  { user: 'bob', accept: '*/*', lang: 'fr' },
  { user: 'cy', accept: 'text/plain', lang: 'xx' },
  { user: 'bob', accept: 'application/json', lang: 'en' },
];
function ask(i, port) {
  if (i === requests.length) return server.close(() => console.log('sessions:', sessions.size));
  const { user, accept, lang } = requests[i];
  const headers = { accept, 'accept-language': lang };
  if (jar.has(user)) headers.cookie = jar.get(user);
  http.get({ port, path: '/', headers, agent: false }, (res) => {
    const set = res.headers['set-cookie'];
    if (set) jar.set(user, set[0].split(';')[0]);
    const { type } = contentType.parse(res.headers['content-type']);
    let text = '';
    res.on('data', (d) => (text += d)).on('end', () => {
      console.log(`${user} <- ${type}: ${text}`);
      setTimeout(ask, 10, i + 1, port);
    });
  });
}
server.listen(0, '127.0.0.1', () => ask(0, server.address().port));
