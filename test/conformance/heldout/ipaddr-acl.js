// ferry-lines: 2,4
// ipaddr.js: an access list of parsed CIDR ranges (IPv4 and IPv6 objects) kept in a class; client
// addresses arrive on an interval and each verdict is appended to a log.
const ipaddr = require('ipaddr.js');
const fs = require('fs');
class Acl {
  constructor(rules) { this.rules = rules.map(([cidr, allow]) => ({ range: ipaddr.parseCIDR(cidr), allow, hits: 0 })); }
  check(text) {
    let addr = ipaddr.parse(text);
    if (addr.kind() === 'ipv6' && addr.isIPv4MappedAddress()) addr = addr.toIPv4Address();
    const rule = this.rules.find((r) => addr.kind() === r.range[0].kind() && addr.match(r.range));
    if (rule) rule.hits++;
    return `${addr.toString()} ${addr.range()} ${rule ? (rule.allow ? 'allow' : 'deny') : 'default-deny'}`;
  }
}
const acl = new Acl([['10.0.0.0/8', true], ['192.168.1.0/24', false], ['2001:db8::/32', true], ['0.0.0.0/0', false]]);
const clients = ['10.1.2.3', '192.168.1.20', '::ffff:10.9.9.9', '2001:db8::1', 'fe80::1', '8.8.8.8', '127.0.0.1'];
const iv = setInterval(() => {
  const verdict = acl.check(clients.shift());
  console.log(verdict);
  fs.appendFileSync('acl.log', verdict + '\n');
  if (!clients.length) { clearInterval(iv); console.log('hits', acl.rules.map((r) => r.hits).join(',')); }
}, 20);
