// ferry-lines: 2,5
// ferry-here: 21#2
// A signup service class with private fields: each request is validated with validator, escaped with
// he, rate limited per domain, and queued for a welcome mail sent by a timer.
const validator = require('validator');
const he = require('he');

class SignupService {
  #byDomain = new Map();
  #outbox = [];
  #sent = 0;
  constructor(limit) {
    this.limit = limit;
  }
  signup(email, name) {
    if (!validator.isEmail(email)) return `rejected ${he.encode(email)}: not an email`;
    const domain = email.split('@')[1];
    const count = (this.#byDomain.get(domain) ?? 0) + 1;
    this.#byDomain.set(domain, count);
    if (count > this.limit) return `rejected ${email}: ${domain} over its limit`;
    this.#outbox.push({ email, name: he.encode(name) });
    return `accepted ${email}`;
  }
  flush() {
    const mail = this.#outbox.shift();
    if (!mail) return undefined;
    this.#sent++;
    return `welcome mail ${this.#sent} to ${mail.email}: Hello ${mail.name}`;
  }
}

const service = new SignupService(2);
const requests = [
  ['ana@example.com', 'Ana <Admin>'],
  ['not-an-email', 'Bob'],
  ['cy@example.com', 'Cy & Co'],
  ['di@example.com', 'Di'],
  ['ed@other.org', 'Ed "the" Fox'],
];
let i = 0;
const timer = setInterval(() => {
  if (i < requests.length) console.log(service.signup(...requests[i++]));
  const sent = service.flush();
  if (sent) console.log(sent);
  if (i === requests.length && !sent) clearInterval(timer);
}, 15);
