// Which files go with the program (capture/workfiles.ts): those it holds open, and those changed
// since it started that it names; not a file another process wrote beside it, nor one whose name
// the program built at run time and kept nowhere (that one is named in a warning).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchWithInspector } from '../../snapshot/target/launch';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { writeCheckpoint } from '../../snapshot/checkpoint';
import { linesPrinted } from '../helpers/oracle';

const PROGRAM = `
const fs = require('fs');
fs.appendFileSync('app.log', 'started\\n');            // named in its source
const statePath = require('path').join(__dirname, 'state', 'kept.json');
fs.mkdirSync('state', { recursive: true });
fs.writeFileSync(statePath, '{}');                       // named by a variable in its heap
const fd = fs.openSync('held.bin', 'w');                 // held open
fs.writeFileSync(['scr', 'atch.tmp'].join(''), 'x');     // a name built at run time, kept nowhere
console.log('ready');
setInterval(() => fs.appendFileSync('app.log', String(fd) + statePath.length + '\\n'), 60_000);
`;

describe('working files carried with a checkpoint', () => {
  it('carries the files the program holds open or names, and reports the others it cannot tell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-workfiles-'));
    const script = join(dir, 'main.js');
    writeFileSync(script, PROGRAM);
    try {
      const launched = await launchWithInspector({ program: script, cwd: dir, stdio: 'pipe', breakOnStart: true });
      try {
        const ready = linesPrinted(launched.child, 1);
        const session = await openTargetSession(launched.webSocketUrl, { startedWithBreak: true });
        await ready;
        // Another process writes beside the program after it started.
        writeFileSync(join(dir, 'other.txt'), 'not the program\'s');
        try {
          const result = await writeCheckpoint(session, { at: 'idle', output: `${dir}.ferry` });
          const carried = (result.manifest.handles.workingFiles ?? []).map((f) => f.path).sort();
          assert.deepEqual(carried, ['app.log', 'held.bin', 'state/kept.json']);
          assert.deepEqual(result.workingFiles.map((f) => f.target).sort(), carried);
          const warning = result.manifest.warnings.find((w) => w.startsWith('not carried:'));
          assert.ok(warning, result.manifest.warnings.join('\n'));
          assert.match(warning, /other\.txt/);
          assert.match(warning, /scratch\.tmp/);
          assert.doesNotMatch(warning, /main\.js/); // its own script is in the checkpoint as code
          assert.equal(readFileSync(join(dir, 'app.log'), 'utf8'), 'started\n');
        } finally {
          await session.cdp.close();
        }
      } finally {
        launched.child.kill('SIGKILL');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}.ferry`, { force: true });
    }
  });
});
