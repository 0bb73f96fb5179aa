// ferry-lines: 2,4
// A signal whose controller was dropped, as cockatiel exports its `neverAbortedSignal`: nothing can
// abort it any more. Held, listened to, and passed to a library's waits, it crosses the checkpoint
// as such a signal again (its listener kept, and still never called).
const neverAborted = new AbortController().signal;
neverAborted.addEventListener('abort', () => console.log('aborted?!'));
const policy = { signal: neverAborted, attempts: 0 };
function attempt(n) {
  policy.attempts++;
  const line = `attempt ${n} aborted=${policy.signal.aborted} listeners ok`;
  console.log(line);
  if (n < 6) setTimeout(attempt, 20, n + 1);
  else console.log('done', policy.attempts, policy.signal === neverAborted);
}
setTimeout(attempt, 20, 1);
