// What a fresh process of the target's Node has (capture/pristine.ts) is kept on disk, private to the
// user: another Ferry process reads it instead of asking a fresh process (200–350 ms), and asks
// again when the kept answer is damaged.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CdpConnection } from '../../snapshot/cdp/connection';
import { pristineRuntime, type PristineRuntime } from '../../snapshot/capture/pristine';
import { runtimeDirectory } from '../../snapshot/runtime-dir';
import { launchWithInspector, type LaunchedTarget } from '../../snapshot/target/launch';

const TARGET = join(__dirname, '..', 'dap', 'fixtures', 'server.js');
let target: LaunchedTarget;

before(async () => {
  target = await launchWithInspector({ program: TARGET, stdio: 'pipe' });
});
after(() => {
  target.child.kill('SIGKILL');
});

/** The names another Ferry process gets for the target, as JSON. */
function askedFromAnotherProcess(): PristineRuntime {
  const script = `
    const { CdpConnection } = require(${JSON.stringify(join(__dirname, '../../snapshot/cdp/connection.ts'))});
    const { pristineRuntime } = require(${JSON.stringify(join(__dirname, '../../snapshot/capture/pristine.ts'))});
    (async () => {
      const cdp = await CdpConnection.connect(${JSON.stringify(target.webSocketUrl)});
      process.stdout.write(JSON.stringify(await pristineRuntime(cdp)));
      await cdp.close();
    })();`;
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout) as PristineRuntime;
}

test('is kept 0600 in the runtime directory, read by the next Ferry process, asked again when damaged', async () => {
  const cdp = await CdpConnection.connect(target.webSocketUrl);
  const asked = await pristineRuntime(cdp);
  await cdp.close();
  const dir = runtimeDirectory();
  const kept = readdirSync(dir)
    .filter((name) => name.startsWith('pristine-') && name.endsWith('.json'))
    .map((name) => join(dir, name))
    .find((file) => readFileSync(file, 'utf8') === JSON.stringify(asked));
  assert.ok(kept, 'no kept answer');
  assert.equal(statSync(kept).mode & 0o777, 0o600);

  try {
    // A mark only the kept file has: the next process read it rather than asking.
    writeFileSync(kept, JSON.stringify({ ...asked, globals: [...asked.globals, 'keptMark'] }));
    assert.ok(askedFromAnotherProcess().globals.includes('keptMark'));

    writeFileSync(kept, '{"globals": [');
    const again = askedFromAnotherProcess();
    // Asked again: the same names (a fresh process's own values, its ppid, differ from one to the next).
    assert.deepEqual([again.globals, again.functions], [asked.globals, asked.functions]);
    assert.deepEqual(JSON.parse(readFileSync(kept, 'utf8')), again);
  } finally {
    rmSync(kept, { force: true }); // never left marked for a later capture
  }
});
