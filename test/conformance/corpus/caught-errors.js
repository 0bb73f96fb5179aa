// ferry-lines: 1,3
// Error objects kept in state, thrown again and caught after the restore; custom error classes.
class RetryError extends Error {
  constructor(attempt) { super(`attempt ${attempt} failed`); this.name = 'RetryError'; this.attempt = attempt; }
}
const failures = [];
function risky(n) { if (n % 2) throw new RetryError(n); return n * 10; }
let step = 0;
const iv = setInterval(() => {
  step++;
  try {
    console.log(step, 'ok', risky(step));
  } catch (error) {
    failures.push(error);
    console.log(step, 'caught', error.name, error.message, error instanceof RetryError, failures.length);
  }
  if (step === 7) {
    clearInterval(iv);
    try { throw failures[0]; } catch (e) { console.log('rethrown', e.attempt, e === failures[0]); }
  }
}, 60);
