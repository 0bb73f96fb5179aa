// Issue 17's named test, on this machine: a `ws` chat server with three members in processes of
// their own, checkpointed with `ferry checkpoint --then stop` while a member holds its turn, and
// restored with `ferry restore`. The members keep their connections (each closes cleanly, once,
// at the end) and every transcript, the server's included, is an uninterrupted run's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ferry } from '../helpers/live-programs';
import { chat, MEMBERS } from '../helpers/ws-chat';

describe('a ws chat across a checkpoint', { timeout: 180_000 }, () => {
  it('three members in processes of their own keep their connections through stop and restore', async () => {
    const expected = await chat();
    for (const name of MEMBERS) assert.match(expected.members[name], /^closed 1000 the chat is over\n$/m);
    const moved = await chat((checkpoint) => ferry(['restore', checkpoint]));
    assert.equal(moved.restored?.code, 0, moved.restored?.stderr);
    const roles = moved.manifest!.handles.connections!.sockets.map((c) => c.role).sort();
    assert.deepEqual(roles, ['accepted', 'accepted', 'accepted', 'listening']);
    assert.deepEqual(moved.members, expected.members);
    assert.equal(moved.server, expected.server);
  });
});
