// Issue 17's named scenario: a `ws` chat server (test/live/fixtures/ws-chat-server.js) with three
// members, each a process of its own (ws-chat-client.js), speaking in turns. Run once
// uninterrupted, and once with the server checkpointed (`--then stop`) while a member holds its
// turn, then restored (here, or on a host): every transcript must be the uninterrupted run's.
import { join } from 'node:path';
import type { StoredManifest } from '../../snapshot/format/manifest';
import { checkpointAndStop, inTempDir, node, startProgram, type Running } from './live-programs';

const fixture = (name: string) => join(__dirname, '..', 'live', 'fixtures', name);
export const MEMBERS = ['alice', 'bob', 'carol'];
const ROUNDS = 4;
/** Bob holds the turn he is given in the second round: the server waits for him, idle. */
const HOLDER = 'bob';
const HOLD_AT = MEMBERS.length + 2;

export interface ChatRun {
  /** What the server printed, the line naming its port left out (another each run). */
  server: string;
  /** What each member printed, by name. */
  members: Record<string, string>;
  /** The checkpoint's manifest, when the server was moved. */
  manifest?: StoredManifest;
  /** How the restore ended, when the server was moved. */
  restored?: { code: number | null; stderr: string };
}

/** Restores the server's checkpoint (`ferry restore`, here or `--on HOST`), to its end. */
export type ChatRestore = (checkpoint: string) => Promise<{ code: number | null; stdout: string; stderr: string }>;

/** The chat, uninterrupted, or with its server checkpointed and stopped at Bob's held turn and given to `restore`. */
export function chat(restore?: ChatRestore): Promise<ChatRun> {
  return inTempDir(async (dir) => {
    const { program, url } = await startProgram(
      fixture('ws-chat-server.js'),
      [String(MEMBERS.length), String(ROUNDS)],
      dir,
    );
    const members: Running[] = [];
    try {
      const [, port] = await program.waitFor(/^port (\d+)$/m);
      for (const name of MEMBERS)
        members.push(node([fixture('ws-chat-client.js'), port, name, String(name === HOLDER ? HOLD_AT : 0)]));
      const holder = members[MEMBERS.indexOf(HOLDER)];
      await holder.waitFor(/^holding$/m);
      const run = restore ? await moved(program, url, dir, holder, restore) : await uninterrupted(program, holder);
      await Promise.all(members.map((member) => member.exit));
      return { ...run, members: Object.fromEntries(MEMBERS.map((name, i) => [name, members[i].stdout])) };
    } finally {
      for (const member of members) member.stop();
      program.stop();
    }
  });
}

async function uninterrupted(program: Running, holder: Running): Promise<ChatRun> {
  holder.say();
  await program.exit;
  return { server: withoutPort(program.stdout), members: {} };
}

/** Bob's answer is sent while the server is stopped: it waits in the held connection for the restore. */
async function moved(
  program: Running,
  url: string,
  dir: string,
  holder: Running,
  restore: ChatRestore,
): Promise<ChatRun> {
  const checkpoint = join(dir, 'chat.ferry');
  const manifest = await checkpointAndStop(url, checkpoint);
  await program.exit;
  holder.say();
  const restored = await restore(checkpoint);
  return {
    server: withoutPort(program.stdout + restored.stdout),
    members: {},
    manifest,
    restored: { code: restored.code, stderr: restored.stderr },
  };
}

const withoutPort = (output: string) => output.replace(/^port \d+\n/m, '');
