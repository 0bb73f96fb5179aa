// The VS Code side, outside VS Code: the contributed manifest and the modules without a `vscode`
// import (the real editor is driven by test/e2e).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { listNodeProcesses } from '../../extension/processes';
import { isHostSpec, readSshHosts } from '../../extension/ssh-config';
import { fixture, spawnNode, tempDir } from './helpers';

const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

test('the ferry debugger contribution: attributes described, snippets and picker wired', () => {
  const [debuggerContribution] = pkg.contributes.debuggers;
  assert.equal(debuggerContribution.type, 'ferry');
  assert.equal(debuggerContribution.program, './dist/adapter.js');
  for (const request of ['launch', 'attach']) {
    const properties = debuggerContribution.configurationAttributes[request].properties;
    for (const [name, schema] of Object.entries<{ description?: string }>(properties))
      assert.ok(schema.description, `${request}.${name} has a description`);
  }
  for (const name of ['program', 'args', 'cwd', 'env', 'runtimeExecutable', 'runtimeArgs', 'stopOnEntry', 'console']) {
    assert.ok(name in debuggerContribution.configurationAttributes.launch.properties, `launch.${name}`);
  }
  for (const name of ['port', 'address', 'websocketUrl', 'processId'])
    assert.ok(name in debuggerContribution.configurationAttributes.attach.properties, `attach.${name}`);
  assert.ok(
    [
      ...debuggerContribution.initialConfigurations,
      ...debuggerContribution.configurationSnippets.map((s: { body: unknown }) => s.body),
    ].every((c: { type: string }) => c.type === 'ferry'),
  );
  const picker = debuggerContribution.variables.PickProcess;
  assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === picker));
  assert.ok(pkg.activationEvents.includes(`onCommand:${picker}`));
});

test('the process picker lists running Node processes by script', async (t) => {
  const child = spawnNode(t, fixture('server.js'));
  await new Promise((r) => child.once('spawn', r));
  const found = (await listNodeProcesses()).find((p) => p.pid === child.pid);
  assert.equal(found?.label, 'server.js');
  assert.ok(!(await listNodeProcesses()).some((p) => p.pid === process.pid), 'the caller itself is left out');
});

test('commands: category Ferry, palette entries enabled only where they make sense, menus name known commands', () => {
  const commands = new Set(
    pkg.contributes.commands.map((c: { command: string; category: string }) => {
      assert.equal(c.category, 'Ferry', c.command);
      return c.command;
    }),
  );
  for (const [menu, entries] of Object.entries<Array<{ command: string }>>(pkg.contributes.menus)) {
    for (const entry of entries) assert.ok(commands.has(entry.command), `${menu}: ${entry.command}`);
  }
  const when = Object.fromEntries(
    pkg.contributes.menus.commandPalette.map((m: { command: string; when: string }) => [m.command, m.when]),
  );
  assert.equal(when['ferry.checkpointHere'], "debugType == 'ferry' && debugState == 'stopped'");
  assert.equal(when['ferry.stopRemoteRun'], 'ferry.remoteRunAttached');
  assert.ok(pkg.contributes.views.debug.some((v: { id: string }) => v.id === 'ferry.checkpoints'));
  assert.ok(pkg.contributes.walkthroughs[0].steps.length >= 4);
});

test('SSH config hosts: aliases with HostName and User, Includes followed, patterns left out', (t) => {
  const dir = tempDir(t, 'ferry-ssh-');
  writeFileSync(join(dir, 'more'), 'Host inc1 inc2\n  HostName 10.0.0.2\n');
  writeFileSync(
    join(dir, 'config'),
    'Host box\n  HostName box.example.com\n  User me\nHost *.corp !bad\n  User x\nMatch all\n  User y\nInclude more\n',
  );
  assert.deepEqual(
    readSshHosts(join(dir, 'config')).map((h) => [h.alias, h.hostName, h.user]),
    [
      ['box', 'box.example.com', 'me'],
      ['inc1', '10.0.0.2', undefined],
      ['inc2', '10.0.0.2', undefined],
    ],
  );
  assert.ok(isHostSpec('user@host:2222') && isHostSpec('alias') && !isHostSpec('user@'));
  assert.ok(isHostSpec('docker://app') && isHostSpec('exec:nsenter --target 7 --mount --'));
  assert.ok(!isHostSpec('docker://') && !isHostSpec('exec:'));
});
