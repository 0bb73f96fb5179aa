// Loaded by the extension host (extensionTestsPath): runs the mocha suite in-process.
const path = require('path');
const Mocha = require(
  path.join(process.env.E2E_DIR || path.join(__dirname, '../../../.e2e'), 'tools/node_modules/mocha'),
);

exports.run = function run() {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) =>
      failures ? reject(new Error(`${failures} extension host tests failed`)) : resolve(),
    );
    // The forwarded console drops large objects: print each failure as plain text.
    runner.on('fail', (test, error) =>
      console.log(`FAIL ${test.title}: ${String(error && error.stack).slice(0, 400)}`),
    );
  });
};
