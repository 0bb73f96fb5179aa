// Open Checkpoint: the read-only session over a .ferry file, with no process and without the
// program's files. For a Checkpoint Here it shows the captured stack, each frame's scopes and values.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CheckpointSession } from '../../adapter/offline/session';

const CLI = resolve(__dirname, '../../dist/cli.js');
const PROGRAM = `'use strict';
function leaf(x) {
  const y = x * 3;
  return y + 1;
}
function outer(items) {
  let sum = 0;
  const add = (v) => (sum += v);
  for (const item of items) add(leaf(item));
  return sum;
}
console.log(outer([1, 2, 3]));
`;

test('Open Checkpoint shows a Checkpoint Here stack: frames at their lines, locals, the shared closure', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-offline-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'prog.js'), PROGRAM);
  execFileSync(process.execPath, [CLI, 'run', '--checkpoint-at', 'prog.js:4#2', '-o', 'here.ferry', '--', 'prog.js'], {
    cwd: dir,
    stdio: 'pipe',
  });
  rmSync(join(dir, 'prog.js')); // the checkpoint alone is enough

  const server = createServer((socket) => {
    const session = new CheckpointSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
  }).listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((r) => server.once('listening', r));
  const client = new DebugClient('node', '', 'ferry-checkpoint');
  await client.start((server.address() as AddressInfo).port);
  t.after(() => client.stop());

  await Promise.all([
    client.configurationSequence(),
    client.launch({ checkpoint: join(dir, 'here.ferry') } as DebugProtocol.LaunchRequestArguments),
    client.waitForEvent('stopped'),
  ]);
  const { body } = await client.stackTraceRequest({ threadId: 1 });
  assert.deepEqual(
    body.stackFrames.map((f) => [f.name, f.line]),
    [
      ['leaf', 4],
      ['outer', 9],
      ['(anonymous)', 12],
    ],
  );
  const source = await client.sourceRequest({
    sourceReference: body.stackFrames[0].source!.sourceReference!,
    source: body.stackFrames[0].source,
  });
  assert.equal(source.body.content, PROGRAM);

  const values = async (frameId: number, scopeName: string) => {
    const {
      body: { scopes },
    } = await client.scopesRequest({ frameId });
    const scope = scopes.find((s) => s.name.startsWith(scopeName));
    assert.ok(scope, `frame ${frameId} has no ${scopeName} scope: ${scopes.map((s) => s.name).join(', ')}`);
    const {
      body: { variables },
    } = await client.variablesRequest({ variablesReference: scope.variablesReference });
    return Object.fromEntries(variables.map((v) => [v.name, v.value]));
  };
  assert.deepEqual(await values(1, 'Local'), { x: '2', y: '6' });
  // outer's `sum` lives in the context its arrow `add` shares with the paused frame.
  assert.equal((await values(2, 'Closure (shared')).sum, '4');
  assert.equal((await values(2, 'Block')).item, '2');
  await assert.rejects(client.continueRequest({ threadId: 1 }), /read-only/);
});
