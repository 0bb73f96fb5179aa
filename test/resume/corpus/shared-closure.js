'use strict';
// A closure created in a live frame shares its variables with the resumed frame.
function makeRunner() {
  let count = 0;
  const inc = () => {
    count++; // @bp 2 4
    return count;
  };
  for (let i = 0; i < 5; i++) {
    inc();
    console.log('count', count);
  }
  return count;
}
console.log('final', makeRunner());
