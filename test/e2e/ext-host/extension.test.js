// Runs inside code-server's extension host (mocha, tdd): Ferry's commands and their enablement,
// settings, the host picker, the Checkpoints view over a checkpoint taken from a real debug
// session, and Open Checkpoint browsing that file with no process.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');

const ext = () => vscode.extensions.getExtension('ferry.ferry');
const folder = () => vscode.workspace.workspaceFolders[0].uri.fsPath;

function nextSession(type) {
  return new Promise((resolve) => {
    const sub = vscode.debug.onDidStartDebugSession((s) => {
      if (s.type === type) {
        sub.dispose();
        resolve(s);
      }
    });
  });
}

suite('Ferry in VS Code', () => {
  let api;
  suiteSetup(async () => {
    api = await ext().activate();
  });

  test('every command is registered, in category Ferry', async () => {
    const all = await vscode.commands.getCommands(true);
    const contributed = ext().packageJSON.contributes.commands;
    for (const c of contributed) {
      assert.ok(all.includes(c.command), `${c.command} registered`);
      assert.strictEqual(c.category, 'Ferry');
    }
    for (const title of [
      'Checkpoint Here',
      'Checkpoint at Idle',
      'Resume Locally',
      'Resume on Remote…',
      'Migrate to Remote…',
      'Clone to Remote…',
      'Open Checkpoint…',
      'Stop Remote Run',
    ]) {
      assert.ok(
        contributed.some((c) => c.title === title),
        title,
      );
    }
  });

  test('commands are enabled only when they make sense', () => {
    const when = Object.fromEntries(ext().packageJSON.contributes.menus.commandPalette.map((m) => [m.command, m.when]));
    assert.strictEqual(when['ferry.checkpointHere'], "debugType == 'ferry' && debugState == 'stopped'");
    assert.strictEqual(when['ferry.checkpointIdle'], "debugType == 'ferry' && inDebugMode");
    assert.strictEqual(when['ferry.migrateToRemote'], "debugType == 'ferry' && inDebugMode");
    assert.strictEqual(when['ferry.stopRemoteRun'], 'ferry.remoteRunAttached');
    assert.strictEqual(when['ferry.resumeLocally'], undefined, 'resuming needs no session');
  });

  test('settings have defaults and descriptions', () => {
    const config = vscode.workspace.getConfiguration('ferry');
    assert.strictEqual(config.inspect('checkpointDirectory').defaultValue, '.ferry');
    assert.strictEqual(config.inspect('defaultHost').defaultValue, '');
    for (const [name, schema] of Object.entries(ext().packageJSON.contributes.configuration.properties))
      assert.ok(schema.markdownDescription || schema.description, name);
  });

  test('the host picker lists the SSH config hosts, recent hosts first, and offers user@host', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-hosts-'));
    fs.writeFileSync(path.join(dir, 'extra'), 'Host included1\n  HostName 10.0.0.9\n');
    fs.writeFileSync(
      path.join(dir, 'config'),
      `Host bigbox\n  HostName big.example.com\n  User me\nHost *.internal !x\n  User y\nInclude ${dir}/extra\n`,
    );
    await vscode.workspace
      .getConfiguration('ferry')
      .update('sshConfigFile', path.join(dir, 'config'), vscode.ConfigurationTarget.Workspace);
    await api.hostPicker.remember('included1');
    const labels = api.hostPicker.items().map((i) => i.label);
    assert.ok(labels.indexOf('$(history) included1') < labels.indexOf('$(remote) bigbox'), labels.join(' | '));
    assert.ok(labels.includes('$(plus) Enter user@host…'));
    assert.ok(!labels.some((l) => l.includes('*.internal')));
    assert.strictEqual(api.hostPicker.items().find((i) => i.host === 'bigbox').description, 'me@big.example.com');
    await vscode.workspace
      .getConfiguration('ferry')
      .update('sshConfigFile', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('Checkpoint and Stop ends the session; its checkpoint shows in the Checkpoints view and opens read-only', async function () {
    this.timeout(90000);
    const started = nextSession('ferry');
    const [sample] = JSON.parse(fs.readFileSync(path.join(folder(), '.vscode', 'launch.json'), 'utf8')).configurations;
    assert.ok(
      await vscode.debug.startDebugging(vscode.workspace.workspaceFolders[0], {
        ...sample,
        name: 'ext-host job',
        program: path.join(folder(), 'job.js'),
      }),
    );
    const session = await started;
    await new Promise((r) => setTimeout(r, 1000));
    const ended = new Promise((resolve) => {
      const listener = vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id === session.id) resolve(listener.dispose());
      });
    });
    const before = new Set((await api.checkpointsView.getChildren()).map((c) => c.path));
    // Checkpoint and Stop (then 'stop'): written to ferry.checkpointDirectory, which the view lists, and the program ended.
    await vscode.commands.executeCommand('ferry.checkpointAndStop');
    await ended;
    const items = await api.checkpointsView.getChildren();
    const summary = items.find((c) => !before.has(c.path));
    assert.ok(summary, 'listed in the view');
    const item = api.checkpointsView.getTreeItem(summary);
    assert.strictEqual(item.label, 'job.js');
    assert.match(item.description, /^idle · .* · .*B · /);

    const opened = nextSession('ferry-checkpoint');
    await vscode.commands.executeCommand('ferry.openCheckpoint', vscode.Uri.file(summary.path));
    const viewer = await opened;
    await new Promise((r) => setTimeout(r, 500));
    const { scopes } = await viewer.customRequest('scopes', { frameId: 1 });
    assert.deepStrictEqual(
      scopes.map((s) => s.name),
      ['Roots', 'Handles', 'Process'],
    );
    const roots = (
      await viewer.customRequest('variables', { variablesReference: scopes[0].variablesReference })
    ).variables.map((v) => v.name);
    assert.ok(roots.includes('modules') && roots.includes('globals'), roots.join(', '));
    await assert.rejects(Promise.resolve(viewer.customRequest('continue', { threadId: 1 })), /read-only/);
    await vscode.debug.stopDebugging(viewer);
  });
});
