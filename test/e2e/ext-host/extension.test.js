// Runs inside code-server's extension host (mocha, tdd): Ferry's commands and their enablement,
// settings, the host picker, the Checkpoints view over a checkpoint taken from a real debug
// session, and Open Checkpoint browsing that file with no process; the connections of a program
// stopped at its checkpoint, as the view and the status bar show them (held, released, kept by a
// run resumed here or in the terminal, relayed to a run on FERRY_E2E_HOST after Resume on Remote
// or Migrate to Remote), with a peer connected from this process.
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const vscode = require('vscode');

const ext = () => vscode.extensions.getExtension('ferry.ferry');
const folder = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const ECHO_SERVER = path.join(__dirname, '..', '..', 'live', 'fixtures', 'echo-server.js');

/** What each `ferry` session's adapter sent as output (the events' bodies), by session id. */
const outputs = new Map();
const outputOf = (session, category) =>
  (outputs.get(session.id) || [])
    .filter((body) => !category || body.category === category)
    .map((body) => body.output)
    .join('');

async function until(condition, what, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function terminated(session) {
  return new Promise((resolve) => {
    const listener = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.id === session.id) resolve(listener.dispose());
    });
  });
}

/** A peer of the echo server (test/live/fixtures/echo-server.js): each line it says comes back numbered by its connection. */
class EchoPeer {
  constructor(port) {
    this.received = '';
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk) => (this.received += chunk));
    this.socket.on('error', () => undefined); // a reset shows as the close below
    this.closed = new Promise((resolve) => this.socket.on('close', resolve));
  }

  /** Says a line; resolves with the line that comes back. */
  say(line) {
    const from = this.received.length;
    this.socket.write(`${line}\n`);
    return until(() => {
      const end = this.received.indexOf('\n', from);
      return end >= 0 && this.received.slice(from, end);
    }, `the echo of "${line}"`);
  }
}

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
  let tracker;
  const peers = [];
  suiteSetup(async () => {
    api = await ext().activate();
    tracker = vscode.debug.registerDebugAdapterTrackerFactory('ferry', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m) => {
          if (m.type === 'event' && m.event === 'output')
            outputs.set(session.id, [...(outputs.get(session.id) || []), m.body]);
        },
      }),
    });
  });
  // A test that failed half way leaves no session running for the next one's commands to act on.
  teardown(() => Promise.resolve(vscode.debug.stopDebugging()).catch(() => undefined));
  suiteTeardown(() => {
    tracker.dispose();
    for (const peer of peers) peer.socket.destroy();
  });

  /** The view's item for the checkpoint at `file`, as it shows it now. */
  async function itemOf(file) {
    const summary = (await api.checkpointsView.getChildren()).find((c) => c.path === file);
    return api.checkpointsView.getTreeItem(summary);
  }

  /** The echo server debugged, and a peer of it talking from here. */
  async function echoServerDebugged() {
    const started = nextSession('ferry');
    const [sample] = JSON.parse(fs.readFileSync(path.join(folder(), '.vscode', 'launch.json'), 'utf8')).configurations;
    assert.ok(
      await vscode.debug.startDebugging(vscode.workspace.workspaceFolders[0], {
        ...sample,
        name: 'ext-host echo server',
        program: ECHO_SERVER,
        args: [],
      }),
    );
    const session = await started;
    const [, port] = await until(() => /port (\d+)/.exec(outputOf(session)), "the server's port");
    const peer = new EchoPeer(Number(port));
    peers.push(peer);
    assert.strictEqual(await peer.say('hello'), '1: hello');
    return { session, peer };
  }

  /** The checkpoints the view lists now, by path. */
  async function listed() {
    return new Set((await api.checkpointsView.getChildren()).map((c) => c.path));
  }

  /** The checkpoint `run` wrote, which the view lists beside the ones `before` it. */
  async function checkpointWritten(before, run) {
    await run();
    const summary = (await api.checkpointsView.getChildren()).find((c) => !before.has(c.path));
    assert.ok(summary, 'listed in the view');
    return summary;
  }

  /**
   * The echo server debugged, a peer of it talking from here, then Ferry: Checkpoint and Stop:
   * the program ends and a holder keeps its connection and listening socket. Returns the
   * checkpoint's summary and the peer, still connected.
   */
  async function echoServerCheckpointedAndStopped() {
    const { session, peer } = await echoServerDebugged();
    const ended = terminated(session);
    const summary = await checkpointWritten(await listed(), async () => {
      await vscode.commands.executeCommand('ferry.checkpointAndStop');
      await ended;
    });
    return { summary, peer };
  }

  /**
   * What the view and the status bar show of a run on `host` with the echo server's two
   * connections relayed by a stub here, once they show it; the peer is answered from there.
   */
  async function assertRelayedTo(host, summary, peer) {
    const item = await until(
      async () => {
        const shown = await itemOf(summary.path);
        return shown.description.startsWith(`idle · 2 connection(s) relayed to ${host} · `) && shown;
      },
      'the view to say the connections are relayed',
      120000,
    );
    assert.match(item.tooltip.value, /relayed to `[^`]+` by a stub on this machine \(pid \d+\)/);
    assert.strictEqual(item.contextValue, 'ferryCheckpoint', 'a relaying stub is not released from the view');
    assert.match(api.runs.status.text, /^\$\(remote\) Ferry: .* \$\(plug\) 2 relayed$/);
    assert.match(api.runs.status.tooltip, /2 connection\(s\) stay on this machine, relayed to them by a stub/);
    assert.strictEqual(await peer.say('again'), '2: again', 'answered on the host, through the stub');
  }

  /** Stops the run on the host: its stub ends, and the peer's connection with it. */
  async function stopRelayedRun(run, peer) {
    const ended = terminated(run);
    await vscode.debug.stopDebugging(run);
    await ended;
    await peer.closed;
    await until(() => api.runs.status === undefined, 'the status bar item to go');
  }

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
    // The run's own setting (the test host's config, for the resume on a host below) is put back after.
    const own = vscode.workspace.getConfiguration('ferry').inspect('sshConfigFile').workspaceValue;
    await vscode.workspace
      .getConfiguration('ferry')
      .update('sshConfigFile', path.join(dir, 'config'), vscode.ConfigurationTarget.Workspace);
    await api.hostPicker.remember('included1');
    const labels = api.hostPicker.items().map((i) => i.label);
    assert.ok(labels.indexOf('$(history) included1') < labels.indexOf('$(remote) bigbox'), labels.join(' | '));
    assert.ok(labels.includes('$(plus) Enter user@host…'));
    assert.ok(!labels.some((l) => l.includes('*.internal')));
    assert.strictEqual(api.hostPicker.items().find((i) => i.host === 'bigbox').description, 'me@big.example.com');
    await vscode.workspace.getConfiguration('ferry').update('sshConfigFile', own, vscode.ConfigurationTarget.Workspace);
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
  test('Checkpoint and Stop leaves the connections with a holder; Release Held Connections closes them', async function () {
    this.timeout(90000);
    const { summary, peer } = await echoServerCheckpointedAndStopped();
    let item = api.checkpointsView.getTreeItem(summary);
    assert.match(item.description, /^idle · 2 connection\(s\) held here · /);
    assert.match(item.tooltip.value, /held on this machine by a holder \(pid (\d+)\)/);
    assert.strictEqual(item.contextValue, 'ferryCheckpoint.held', 'the item offers Release Held Connections');
    const menu = ext().packageJSON.contributes.menus['view/item/context'];
    assert.ok(
      menu.some((m) => m.command === 'ferry.releaseConnections' && /viewItem == ferryCheckpoint\.held/.test(m.when)),
    );
    const holderPid = Number(/pid (\d+)/.exec(item.tooltip.value)[1]);
    assert.ok(!peer.socket.destroyed, 'the peer is still connected');

    await vscode.commands.executeCommand('ferry.releaseConnections', summary);
    await peer.closed; // the holder closed its copy, the last one: the peer sees its connection end
    await until(() => {
      try {
        process.kill(holderPid, 0);
        return false;
      } catch (error) {
        return error.code === 'ESRCH';
      }
    }, 'the holder to end');
    item = await itemOf(summary.path);
    assert.strictEqual(item.contextValue, 'ferryCheckpoint');
    assert.doesNotMatch(item.description, /connection/);
  });

  test('Resume Locally takes the held connections: the view and the status bar say the run kept them', async function () {
    this.timeout(90000);
    const { summary, peer } = await echoServerCheckpointedAndStopped();
    const started = nextSession('ferry');
    await vscode.commands.executeCommand('ferry.resumeLocally', vscode.Uri.file(summary.path));
    const resumed = await started;
    const item = await until(async () => {
      const shown = await itemOf(summary.path);
      return /^idle · 2 connection\(s\) kept by its run here · /.test(shown.description) && shown;
    }, 'the view to say the run kept the connections');
    assert.strictEqual(item.contextValue, 'ferryCheckpoint', 'nothing is held any more');
    assert.match(api.runs.status.text, /^\$\(plug\) Ferry: .* \$\(plug\) 2 kept$/);
    assert.match(api.runs.status.tooltip, /2 connection\(s\) from before the checkpoint kept by /);
    // The resumed program answers on the connection opened before the checkpoint, its count going on.
    assert.strictEqual(await peer.say('again'), '2: again');
    const ended = terminated(resumed);
    await vscode.debug.stopDebugging(resumed);
    await ended;
    await until(() => api.runs.status === undefined, 'the status bar item to go');
    assert.doesNotMatch((await itemOf(summary.path)).description, /connection/);
  });

  test('a resume in the integrated terminal takes the held connections: the view and the status bar say its run kept them', async function () {
    this.timeout(90000);
    const { summary, peer } = await echoServerCheckpointedAndStopped();
    const started = nextSession('ferry');
    assert.ok(
      await vscode.debug.startDebugging(vscode.workspace.workspaceFolders[0], {
        type: 'ferry',
        request: 'launch',
        name: 'ext-host echo server in the terminal',
        checkpoint: summary.path,
        console: 'integratedTerminal',
      }),
    );
    const resumed = await started;
    await until(async () => {
      const shown = await itemOf(summary.path);
      return /^idle · 2 connection\(s\) kept by its run here · /.test(shown.description);
    }, 'the view to say the run in the terminal kept the connections');
    assert.match(api.runs.status.text, /^\$\(plug\) Ferry: .* \$\(plug\) 2 kept$/);
    assert.strictEqual(outputOf(resumed, 'important'), '', 'nothing to warn of');
    // The program in the terminal answers on the connection opened before the checkpoint.
    assert.strictEqual(await peer.say('again'), '2: again');
    const ended = terminated(resumed);
    await vscode.debug.stopDebugging(resumed);
    await ended;
    await until(() => api.runs.status === undefined, 'the status bar item to go');
  });

  test('Resume on Remote has the connections relayed: the view and the status bar say to which host', async function () {
    const host = process.env.FERRY_E2E_HOST;
    if (!host) return this.skip();
    this.timeout(180000);
    const { summary, peer } = await echoServerCheckpointedAndStopped();
    const started = nextSession('ferry');
    const config = vscode.workspace.getConfiguration('ferry');
    // What Resume on Remote starts once the host is picked (extension/sessions.ts resumeConfiguration).
    assert.ok(
      await vscode.debug.startDebugging(vscode.workspace.workspaceFolders[0], {
        type: 'ferry',
        request: 'launch',
        name: `Ferry: echo on ${host}`,
        checkpoint: summary.path,
        host,
        sshConfigFile: config.get('sshConfigFile') || undefined,
        hostCwd: config.get('hostWorkingDirectory') || undefined,
      }),
    );
    const run = await started;
    await assertRelayedTo(host, summary, peer);
    await stopRelayedRun(run, peer);
  });

  test('Migrate to Remote relays the connections as a resume there does: the view and the status bar say so', async function () {
    const host = process.env.FERRY_E2E_HOST;
    if (!host) return this.skip();
    this.timeout(180000);
    const { session, peer } = await echoServerDebugged();
    await api.hostPicker.remember(host); // the picker's first item, which accepting it picks
    const started = nextSession('ferry');
    const originEnded = terminated(session);
    const summary = await checkpointWritten(await listed(), async () => {
      const migrated = vscode.commands.executeCommand('ferry.migrateToRemote');
      let picked = false;
      void migrated.then(() => (picked = true));
      // As a user does: the host picker opens, and Enter takes the host at its top.
      await until(async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return picked || (await Promise.race([started.then(() => true), new Promise((r) => setTimeout(r, 300))]));
      }, 'the host to be picked');
      await migrated;
    });
    const run = await started;
    await originEnded; // moved: the origin was ended once the host had the program
    await assertRelayedTo(host, summary, peer);
    await stopRelayedRun(run, peer);
  });
});
