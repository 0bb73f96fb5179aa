// ferry-lines: 3,7
// ferry-here: 30#5
// argparse + pluralize + ms: a job runner configured by its command line (a fixed argv here, as a
// test harness would pass it), running jobs as instances of a small class, each attempt retried on
// a backoff timer; the checkpoint falls while a retry timer is pending.
const { ArgumentParser } = require('argparse');
const pluralize = require('pluralize');
const ms = require('ms');
const fs = require('fs');

const parser = new ArgumentParser({ prog: 'jobs', description: 'run the nightly jobs' });
parser.add_argument('--retries', { type: 'int', default: 2 });
parser.add_argument('--backoff', { default: '10ms' });
parser.add_argument('--report', { default: 'jobs-report.txt' });
parser.add_argument('jobs', { nargs: '+' });
const args = parser.parse_args(['--retries', '3', '--backoff', '12ms', 'index', 'thumbnail', 'mailer', 'archive']);

class Job {
  static #failures = { thumbnail: 2, mailer: 4 };
  #attempts = 0;
  constructor(name, { retries, backoff }) {
    this.name = name;
    this.retries = retries;
    this.backoff = ms(backoff);
  }
  run() {
    return new Promise((resolve) => {
      const attempt = () => {
        this.#attempts++;
        const failed = this.#attempts <= (Job.#failures[this.name] ?? 0);
        if (!failed) return resolve({ name: this.name, ok: true, attempts: this.#attempts });
        console.log(`  ${this.name} failed, ${pluralize('attempt', this.#attempts, true)} so far`);
        if (this.#attempts > this.retries) return resolve({ name: this.name, ok: false, attempts: this.#attempts });
        setTimeout(attempt, this.backoff * this.#attempts);
      };
      attempt();
    });
  }
}

(async () => {
  const results = [];
  for (const name of args.jobs) {
    console.log(`job ${name}`);
    const result = await new Job(name, args).run();
    results.push(result);
    fs.appendFileSync(args.report, `${result.name} ${result.ok ? 'ok' : 'FAILED'} ${result.attempts}\n`);
  }
  const failed = results.filter((r) => !r.ok);
  console.log(`${pluralize('job', results.length, true)} run, ${pluralize('failure', failed.length, true)}`);
})();
