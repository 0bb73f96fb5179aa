'use strict';
// Checkpoint Here inside a named function expression that never reads its own name (V8 keeps it
// nowhere), in a for-of whose body has a block declaring a variable named like the loop's: paused
// outside that block, the loop's variable is the one in scope. (Inside it, see test/resume/refusals.)
const shout = function loud(words) {
  const out = [];
  for (const word of words) {
    const word2 = word.toUpperCase(); // @bp 2
    {
      const word = `${word2}!`;
      out.push(word);
    }
  }
  return out.join(' ');
};
let round = 0;
const iv = setInterval(() => {
  round++;
  const line = shout(['a', 'b', `c${round}`]);
  console.log(round, line);
  if (round === 3) clearInterval(iv);
}, 50);
