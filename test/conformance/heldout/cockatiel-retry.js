// ferry-lines: 3,6
// ferry-here: 15#4
// cockatiel: a retry policy with constant backoff around a flaky operation (fails by a counter,
// not by chance) and a circuit breaker that opens on consecutive failures; policy events log.
const { retry, handleAll, ConstantBackoff, circuitBreaker, ConsecutiveBreaker, wrap } = require('cockatiel');
let attempts = 0;
const retryPolicy = retry(handleAll, { maxAttempts: 2, backoff: new ConstantBackoff(25) });
retryPolicy.onRetry(({ attempt }) => console.log('  retry', attempt));
const breaker = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(3) });
breaker.onBreak(() => console.log('  breaker open'));
const policy = wrap(breaker, retryPolicy);
async function flaky(job) {
  attempts++;
  await new Promise((resolve) => setTimeout(resolve, 10));
  if (job === 3 && attempts % 2 === 1) throw new Error(`job ${job} flaked`);
  if (job >= 5) throw new Error(`job ${job} down`);
  return job * 10;
}
async function main() {
  for (let job = 1; job <= 9; job++) {
    try {
      const value = await policy.execute(() => flaky(job));
      console.log('job', job, 'ok', value, 'attempts', attempts);
    } catch (e) {
      console.log('job', job, 'failed:', e.message, 'state', breaker.state);
    }
  }
}
main();
