// ferry-lines: 2,4
// bluebird: its own promise implementation and scheduler; a chain of delayed promises with map.
const Bluebird = require('bluebird');
let round = 0;
function step() {
  round++;
  return Bluebird.delay(200).then(() => Bluebird.map([1, 2, 3], (x) => x * round)).then((values) => {
    console.log('round', round, values.join(','));
    if (round < 7) return step();
    console.log('done');
  });
}
step();
