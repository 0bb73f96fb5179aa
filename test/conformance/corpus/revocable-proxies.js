// ferry-lines: 1,3
// Proxy.revocable (immer's drafts): a proxy and its revoke function travel together. revoke() after
// a restore revokes the restored proxy; a proxy revoked before the checkpoint stays revoked, reading
// it throws the same TypeError, and its spent revoke function still does nothing.
const reads = [];
const live = Proxy.revocable({ count: 0 }, { get: (target, key) => (reads.push(key), target[key]) });
const early = Proxy.revocable({ gone: true }, {});
early.revoke();
const earlyCallable = Proxy.revocable(() => 'called', {});
earlyCallable.revoke();
const drafts = [Proxy.revocable({ n: 1 }, {}), Proxy.revocable({ n: 2 }, {})];
const revokers = new Map(drafts.map((d) => [d.proxy, d.revoke]));
function read(proxy) {
  try { return JSON.stringify(proxy); } catch (error) { return `${error.constructor.name}: ${error.message}`; }
}
let step = 0;
const iv = setInterval(() => {
  step++;
  if (step < 5) live.proxy.count++;
  console.log(step, read(live.proxy), reads.length, read(early.proxy), typeof earlyCallable.proxy, drafts.map((d) => read(d.proxy)).join(' '));
  if (step === 4) { revokers.get(drafts[0].proxy)(); live.revoke(); early.revoke(); }
  if (step === 6) clearInterval(iv);
}, 250);
