// Live connections through a checkpoint (issue 17), driven as a user would: the program started by
// `ferry run`, its peers in processes of their own, `ferry checkpoint --then stop` and `ferry
// restore` on this machine. The peers must see no error, no second connection and no lost byte,
// and the program must go on with the same socket objects (its per-connection state continues).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpointFile, writeCheckpointFile } from '../../snapshot/format/checkpoint';
import type { StoredManifest } from '../../snapshot/format/manifest';
import {
  askHolderRaw,
  checkpointAndStop,
  conversation,
  FERRY,
  ferry,
  holderKey,
  inTempDir,
  node,
  startProgram,
  withEchoConversation,
  withKeepAliveClient,
} from '../helpers/live-programs';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

describe('live connections', () => {
  it('an HTTP server keeps its keep-alive connection and its listening socket through stop and restore', () =>
    inTempDir(async (dir) => {
      await withKeepAliveClient(60, 10, {}, async ({ program, url, client }) => {
        await client.waitFor(/^holding$/m);
        const manifest = await checkpointAndStop(url, join(dir, 'server.ferry'));
        const connections = manifest.handles.connections!;
        assert.deepEqual(connections.sockets.map((c) => c.role).sort(), ['accepted', 'listening']);
        assert.ok(existsSync(connections.holder!.path), 'the holder waits on its socket');
        assert.equal(manifest.handles.servers[0].policy, 'held');
        await program.exit;

        // Requests go on meanwhile: they wait in the held connection until the restore.
        client.say();
        const restored = await ferry(['restore', join(dir, 'server.ferry')]);
        assert.equal(restored.code, 0, restored.stderr);
        assert.match(restored.stdout, /closed after 60 requests/);
        await client.exit;
        const responses = client.stdout.split('\n').filter((line) => line.startsWith('/'));
        assert.deepEqual(
          responses,
          Array.from(
            { length: 60 },
            (_, i) => `/${i === 59 ? 'last' : i + 1} #${i + 1} on its connection, ${i + 1} in all`,
          ),
        );
        assert.match(client.stdout, /errors 0, connections 1\n/);
        assert.ok(!existsSync(connections.holder!.path), 'the holder is gone once the program has its connections');
      });
    }));

  it('a net server and its client go on with their conversation, half a line included', () =>
    inTempDir(async (dir) => {
      await withEchoConversation(40, 10, {}, async ({ url, client }) => {
        await client.waitFor(/^holding$/m); // the server has half of line 11
        const manifest = await checkpointAndStop(url, join(dir, 'echo.ferry'));
        assert.equal(manifest.handles.connections!.sockets.length, 2);
        client.say();
        const restored = await ferry(['restore', join(dir, 'echo.ferry')]);
        assert.equal(restored.code, 0, restored.stderr);
        assert.match(restored.stdout, /conversation ended after 40 lines/);
        await client.exit;
        assert.equal(client.stdout, conversation(40, 10));
      });
    }));

  it('a program keeps its connection to an external server', () =>
    inTempDir(async (dir) => {
      const server = node([fixture('line-server.js'), '10']);
      const [, port] = await server.waitFor(/port (\d+)/);
      const { program, url } = await startProgram(fixture('line-client.js'), [port, '40']);
      try {
        await server.waitFor(/^holding$/m); // the program waits for pong 10
        const manifest = await checkpointAndStop(url, join(dir, 'client.ferry'));
        assert.deepEqual(
          manifest.handles.connections!.sockets.map((c) => [c.role, c.remote]),
          [['client', `127.0.0.1:${port}`]],
        );
        await program.exit;
        const before = program.stdout.split('\n').filter((line) => line.startsWith('pong'));
        server.say();
        const restored = await ferry(['restore', join(dir, 'client.ferry')]);
        assert.equal(restored.code, 0, restored.stderr);
        const after = restored.stdout.split('\n').filter((line) => line.startsWith('pong'));
        assert.deepEqual(
          [...before, ...after],
          Array.from({ length: 40 }, (_, i) => `pong ${i + 1}`),
        );
        await server.exit;
        assert.match(server.stdout, /^connections 1, lines 40$/m);
      } finally {
        program.stop();
        server.stop();
      }
    }));

  it('carries the connections of a Checkpoint Here in the callback that answers a line, which goes on from that line', () =>
    inTempDir(async (dir) => {
      const output = join(dir, 'here.ferry');
      const at = `${fixture('echo-server.js')}:16#8`; // socket.write(...) of the 8th line, in an immediate
      const run = node([
        FERRY,
        'run',
        '--checkpoint-at',
        at,
        '-o',
        output,
        '--then',
        'stop',
        '--',
        fixture('echo-server.js'),
      ]);
      const [, port] = await run.waitFor(/port (\d+)/);
      const client = node([fixture('echo-client.js'), port, '20']);
      try {
        assert.equal(await run.exit, 0, run.stderr);
        const manifest = JSON.parse((await ferry(['inspect', output, '--json'])).stdout) as StoredManifest;
        assert.equal(manifest.kind, 'here');
        assert.equal(manifest.handles.connections!.sockets.length, 2);
        const restored = await ferry(['restore', output]);
        assert.equal(restored.code, 0, restored.stderr);
        assert.match(restored.stdout, /conversation ended after 20 lines/);
        await client.exit;
        assert.equal(client.stdout, conversation(20));
      } finally {
        client.stop();
        run.stop();
      }
    }));

  it('keeps the connections held when a restore fails, for the next one', () =>
    inTempDir(async (dir) => {
      await withEchoConversation(20, 5, { args: ['log.txt'], cwd: dir }, async ({ url, client }) => {
        await client.waitFor(/^holding$/m);
        const manifest = await checkpointAndStop(url, join(dir, 'echo.ferry'));
        client.say();
        // Another run's bytes in the program's log: the restore refuses to write into it.
        appendFileSync(join(dir, 'log.txt'), "not the program's\n");
        const refused = await ferry(['restore', join(dir, 'echo.ferry')], dir);
        assert.equal(refused.code, 70, refused.stderr);
        assert.match(refused.stderr, /log\.txt/);
        assert.ok(existsSync(manifest.handles.connections!.holder!.path), 'the holder still has them');
        const restored = await ferry(['restore', '--overwrite', join(dir, 'echo.ferry')], dir);
        assert.equal(restored.code, 0, restored.stderr);
        await client.exit;
        assert.equal(client.stdout, conversation(20, 5));
      });
    }));

  it('restores closed the connections a --then continue checkpoint left with the program', () =>
    inTempDir(async (dir) => {
      const server = node([fixture('line-server.js'), '10']);
      const [, port] = await server.waitFor(/port (\d+)/);
      const { program, url } = await startProgram(fixture('line-client.js'), [port, '20']);
      try {
        await server.waitFor(/^holding$/m);
        const taken = await ferry(['checkpoint', '--inspect', url, '-o', join(dir, 'left.ferry')]);
        assert.equal(taken.code, 0, taken.stderr);
        server.say();
        await program.waitFor(/^connection closed$/m); // the original went on to its end
        const restored = await ferry(['restore', join(dir, 'left.ferry')]);
        assert.equal(restored.code, 0, restored.stderr);
        assert.match(restored.stderr, /warning: the program's 1 connection\(s\) are restored closed .*--then continue/);
        assert.equal(restored.stdout, 'connection closed\n', "its 'close' listener ran, and nothing else did");
      } finally {
        program.stop();
        server.stop();
      }
    }));

  it('a restore not started by `ferry restore` has the holder close the connections, and listens anew', () =>
    inTempDir(async (dir) => {
      const output = join(dir, 'echo.ferry');
      await withEchoConversation(20, 5, {}, async ({ url, port, client }) => {
        await client.waitFor(/^holding$/m);
        const holder = (await checkpointAndStop(url, output)).handles.connections!.holder!;
        // As VS Code's debug adapter or a test starts it: no channel to the holder.
        const restored = node([join(__dirname, '..', '..', 'dist', 'restore.js'), output]);
        try {
          await restored.waitFor(/this restore does not take them/);
          await client.waitFor(/^closed$/m); // its connection ended when the holder closed it
          assert.ok(!existsSync(holder.path), 'the holder is gone');
          const again = node([fixture('echo-client.js'), port, '2']);
          await again.exit;
          assert.equal(again.stdout, conversation(2), 'the restored server listens on its port');
        } finally {
          restored.stop();
        }
      });
    }));

  it('`ferry release` has the holder close the connections and free the port, with no restore', () =>
    inTempDir(async (dir) => {
      const output = join(dir, 'echo.ferry');
      await withEchoConversation(20, 5, {}, async ({ url, port, client }) => {
        await client.waitFor(/^holding$/m);
        const manifest = await checkpointAndStop(url, output);
        const holder = manifest.handles.connections!.holder!;
        const released = await ferry(['release', output]);
        assert.equal(released.code, 0, released.stderr);
        assert.match(released.stdout, /^released: the holder \(pid \d+\) closed the 2 connection\(s\)/);
        await client.waitFor(/^closed$/m); // the peer saw its connection end
        assert.ok(!existsSync(holder.path), 'the holder is gone');
        const refused = node([fixture('echo-client.js'), port, '1']);
        await refused.exit;
        assert.match(refused.stdout, /^error ECONNREFUSED$/m, 'nothing listens on the port any more');
        const again = await ferry(['release', output]);
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stdout, /^nothing to release: no holder keeps connections for /);
      });
    }));

  it('the holder answers only requests that carry its key, which only its owner can read', () =>
    inTempDir(async (dir) => {
      const output = join(dir, 'echo.ferry');
      await withEchoConversation(20, 5, {}, async ({ url, client }) => {
        await client.waitFor(/^holding$/m);
        const holder = (await checkpointAndStop(url, output)).handles.connections!.holder!;
        const keyFile = holder.path.replace(/\.sock$/, '.key');
        assert.equal(statSync(keyFile).mode & 0o777, 0o600);
        const key = holderKey(holder);
        // The checkpoint's token alone (what a copy of the checkpoint gives), or with a wrong key: refused.
        assert.equal(await askHolderRaw(holder, `release ${holder.token}`), 'refused');
        assert.equal(await askHolderRaw(holder, `release ${holder.token} ${'0'.repeat(key.length)}`), 'refused');
        assert.equal(await askHolderRaw(holder, `take ${holder.token} ${key.slice(1)}`), 'refused');
        assert.match(await askHolderRaw(holder, `status ${holder.token} ${key}`), /^holding 2 \d+$/);
        // It still has them all: the restore takes them, and the holder's key goes with it.
        client.say();
        const restored = await ferry(['restore', output]);
        assert.equal(restored.code, 0, restored.stderr);
        await client.exit;
        assert.equal(client.stdout, conversation(20, 5));
        assert.ok(!existsSync(keyFile), 'the key is gone with the holder');
      });
    }));

  it('checkpoints --then continue leave the connections alone: no reset under a keep-alive load', () =>
    inTempDir(async (dir) => {
      // Long enough (10 s at a request every 20 ms) for five checkpoints on a loaded machine.
      await withKeepAliveClient(500, 480, {}, async ({ url, client }) => {
        await client.waitFor(/^\/10 /m);
        for (let k = 1; k <= 5; k++) {
          const taken = await ferry(['checkpoint', '--inspect', url, '-o', join(dir, `c${k}.ferry`)]);
          assert.equal(taken.code, 0, taken.stderr);
        }
        client.say(); // if it got to request 480 before the checkpoints were done
        await client.exit;
        assert.match(client.stdout, /errors 0, connections 1\n/);
        const manifest = JSON.parse(
          (await ferry(['inspect', join(dir, 'c5.ferry'), '--json'])).stdout,
        ) as StoredManifest;
        assert.equal(manifest.handles.connections!.holder, null, 'left with the program: nothing holds them');
      });
    }));

  it('refuses a TLS connection by name, and the program goes on untouched', () =>
    inTempDir(async (dir) => {
      const { program, url } = await startProgram(fixture('tls-connection.js'));
      try {
        await program.waitFor(/tick 3\n/);
        const taken = await ferry(['checkpoint', '--inspect', url, '-o', join(dir, 'tls.ferry'), '--then', 'stop']);
        assert.equal(taken.code, 1);
        assert.match(taken.stderr, /a TLS connection with 127\.0\.0\.1:\d+: its session keys cannot move/);
        assert.ok(!existsSync(join(dir, 'tls.ferry')));
        const ticks = program.stdout.match(/tick \d+/g)!.length;
        await program.waitFor(new RegExp(`tick ${ticks + 3}\\n`));
      } finally {
        program.stop();
      }
    }));

  it("gives the connections only to a restore that names its holder's socket in the user's runtime directory, with its token", () =>
    inTempDir(async (dir) => {
      await withEchoConversation(20, 5, {}, async ({ url, client }) => {
        await client.waitFor(/^holding$/m);
        const original = join(dir, 'echo.ferry');
        const manifest = await checkpointAndStop(url, original);
        client.say();
        const holder = manifest.handles.connections!.holder!;
        const forged = (path: string, token: string) => {
          const { manifest: m, sections } = readCheckpointFile<StoredManifest>(original);
          m.handles.connections!.holder = { path, token };
          const file = join(dir, `forged-${token.length}-${path.length}.ferry`);
          writeCheckpointFile(file, m, [...sections.entries()]);
          return file;
        };
        // Another directory: not asked; the connections are restored closed, and the held port cannot be listened on.
        const elsewhere = await ferry(['restore', forged(join(dir, 'hold-0123456789abcdef.sock'), holder.token)]);
        assert.match(elsewhere.stderr, /not a holder's socket in this user's runtime directory/);
        assert.match(elsewhere.stderr, /cannot listen on 127\.0\.0\.1:\d+ again: .*EADDRINUSE/);
        assert.equal(elsewhere.code, 70);
        // The right socket, another token: the holder hangs up.
        const wrongToken = await ferry(['restore', forged(holder.path, 'f'.repeat(32))]);
        assert.equal(wrongToken.code, 1);
        assert.match(wrongToken.stderr, /ferry: .*holder/);
        // The holder still has them all.
        const restored = await ferry(['restore', original]);
        assert.equal(restored.code, 0, restored.stderr);
        await client.exit;
        assert.equal(client.stdout, conversation(20, 5));
      });
    }));
});
