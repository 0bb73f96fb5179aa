// ferry-lines: 2,4
// ferry-here: 19#2
// jsonwebtoken: HS256 tokens signed without a timestamp (so they are stable) and verified through
// the callback API; the secret lives in a closure, sessions in a Map keyed by token.
const jwt = require('jsonwebtoken');
const fs = require('fs');
function makeIssuer(secret) {
  let issued = 0;
  return {
    sign: (sub, role) => (issued++, jwt.sign({ sub, role }, secret, { algorithm: 'HS256', noTimestamp: true, issuer: 'ferry' })),
    verify: (token) => new Promise((resolve, reject) => jwt.verify(token, secret, { issuer: 'ferry' }, (e, p) => (e ? reject(e) : resolve(p)))),
    count: () => issued,
  };
}
const issuer = makeIssuer('s3cret-key-for-tests');
const sessions = new Map();
function login(user, role) {
  const token = issuer.sign(user, role);
  sessions.set(token, user);
  return issuer.verify(token).then((p) => {
    console.log('login', p.sub, p.role, token.slice(-12), 'issued', issuer.count());
    fs.appendFileSync('sessions.log', `${p.sub} ${token}\n`);
  });
}
const users = [['ann', 'admin'], ['bob', 'user'], ['cid', 'user'], ['dee', 'ops'], ['eve', 'user']];
function next() {
  const [u, r] = users.shift();
  login(u, r).then(() => (users.length ? setTimeout(next, 25) : issuer.verify('x.y.z').catch((e) => console.log('bad token:', e.message))));
}
setTimeout(next, 25);
