// Worker for test/restore/strict-script.test.ts: isStrictScript of each source it is given, in a
// thread the test can cut off (a scan stuck in a regex never lets the test's own timer run).
require('tsx/cjs');
const { parentPort, workerData } = require('node:worker_threads');
const { isStrictScript } = require('../../snapshot/restore/function-source');

// Loaded (tsx compiling on a loaded machine takes seconds): the test's clock starts now.
parentPort.postMessage('ready');
parentPort.postMessage(workerData.map(isStrictScript));
