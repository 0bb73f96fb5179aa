// The VS Code side, outside VS Code: the contributed debugger manifest, and dist/extension.js
// activated against a stand-in `vscode` module (the real editor is driven by the e2e tests).
import assert from 'node:assert/strict';
import Module from 'node:module';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { listNodeProcesses } from '../../extension/processes';
import { fixture, spawnNode } from './helpers';

const ROOT = resolve(__dirname, '../..');
const pkg = require(join(ROOT, 'package.json'));

test('the ferry debugger contribution: attributes described, snippets and picker wired', () => {
  const [debuggerContribution] = pkg.contributes.debuggers;
  assert.equal(debuggerContribution.type, 'ferry');
  assert.equal(debuggerContribution.program, './dist/adapter.js');
  for (const request of ['launch', 'attach']) {
    const properties = debuggerContribution.configurationAttributes[request].properties;
    for (const [name, schema] of Object.entries<{ description?: string }>(properties)) assert.ok(schema.description, `${request}.${name} has a description`);
  }
  for (const name of ['program', 'args', 'cwd', 'env', 'runtimeExecutable', 'runtimeArgs', 'stopOnEntry', 'console']) {
    assert.ok(name in debuggerContribution.configurationAttributes.launch.properties, `launch.${name}`);
  }
  for (const name of ['port', 'address', 'websocketUrl', 'processId']) assert.ok(name in debuggerContribution.configurationAttributes.attach.properties, `attach.${name}`);
  assert.ok([...debuggerContribution.initialConfigurations, ...debuggerContribution.configurationSnippets.map((s: { body: unknown }) => s.body)]
    .every((c: { type: string }) => c.type === 'ferry'));
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

test('activation registers the adapter, the configuration provider and the picker command', async () => {
  const registered: Record<string, unknown> = {};
  const errors: string[] = [];
  const vscode = {
    DebugAdapterExecutable: class { constructor(readonly command: string, readonly args: string[], readonly options: unknown) {} },
    debug: {
      registerDebugAdapterDescriptorFactory: (type: string, factory: unknown) => (registered[`factory:${type}`] = factory),
      registerDebugConfigurationProvider: (type: string, provider: unknown) => (registered[`provider:${type}`] = provider),
    },
    commands: { registerCommand: (id: string, fn: unknown) => (registered[`command:${id}`] = fn) },
    window: { activeTextEditor: { document: { languageId: 'javascript', uri: { fsPath: '/w/app.js' } } }, showErrorMessage: async (m: string) => errors.push(m) },
  };
  const extension = loadWithVscode(join(ROOT, 'dist/extension.js'), vscode);
  const subscriptions: unknown[] = [];
  extension.activate({ subscriptions, asAbsolutePath: (p: string) => join(ROOT, p) });
  assert.equal(subscriptions.length, 3);
  const descriptor = (registered['factory:ferry'] as { createDebugAdapterDescriptor(): { args: string[] } }).createDebugAdapterDescriptor();
  assert.deepEqual(descriptor.args, [join(ROOT, 'dist/adapter.js')]);
  assert.equal(typeof registered['command:ferry.pickNodeProcess'], 'function');
  const provider = registered['provider:ferry'] as { resolveDebugConfiguration(folder: unknown, config: Record<string, unknown>): Record<string, unknown> | undefined };
  assert.deepEqual(provider.resolveDebugConfiguration(undefined, {}), { type: 'ferry', request: 'launch', name: 'Ferry: Launch Current File', program: '/w/app.js', cwd: undefined });
  assert.equal(provider.resolveDebugConfiguration({ uri: { fsPath: '/w' } }, { type: 'ferry', request: 'launch', name: 'x', program: 'a.js' })?.cwd, '/w');
  assert.equal(provider.resolveDebugConfiguration(undefined, { type: 'ferry', request: 'launch', name: 'x' }), undefined);
  assert.match(errors[0], /needs a "program"/);
});

/** Loads a CommonJS bundle whose `require('vscode')` gets `vscode`. */
function loadWithVscode(file: string, vscode: unknown): { activate(context: unknown): void } {
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const original = loader._load;
  loader._load = (request, parent, isMain) => (request === 'vscode' ? vscode : original(request, parent, isMain));
  try {
    return require(file);
  } finally {
    loader._load = original;
  }
}
