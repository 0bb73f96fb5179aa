// ferry-lines: 2,4
// ferry-here: 23#3
// sonic-boom: an audit trail written asynchronously to a file by a small class of the program's,
// flushed after each batch; batches arrive one per timer, and the checkpoint falls between them
// with the log file open and the next batch pending.
const SonicBoom = require('sonic-boom');
const ms = require('ms');

class AuditTrail {
  constructor(path) {
    this.sink = new SonicBoom({ dest: path, sync: false, mkdir: true });
    this.counts = new Map();
    this.seq = 0;
  }
  record(actor, action) {
    this.counts.set(actor, (this.counts.get(actor) ?? 0) + 1);
    this.sink.write(`${++this.seq} ${actor} ${action}\n`);
  }
  flush() {
    return new Promise((resolve, reject) => {
      this.sink.flush((err) => {
        if (err) return reject(err);
        const summary = [...this.counts].map(([a, n]) => `${a}=${n}`).join(' ');
        resolve(summary);
      });
    });
  }
}

const trail = new AuditTrail('logs/audit.log');
const batches = [
  [['ann', 'login'], ['bob', 'login']],
  [['ann', 'edit'], ['cy', 'login'], ['bob', 'delete']],
  [['cy', 'edit'], ['ann', 'logout']],
  [['bob', 'logout'], ['cy', 'edit'], ['cy', 'logout']],
  [['dee', 'login']],
];
const delay = ms('100ms');
let next = 0;
function tick() {
  for (const [actor, action] of batches[next]) trail.record(actor, action);
  trail.flush().then((summary) => {
    console.log(`batch ${next + 1} flushed after ${ms(delay * (next + 1), { long: true })}: ${summary}`);
    if (++next < batches.length) setTimeout(tick, delay);
    else trail.sink.end();
  });
}
trail.sink.on('ready', () => setTimeout(tick, delay));
trail.sink.on('finish', () => console.log('audit closed at', trail.seq, 'entries'));
