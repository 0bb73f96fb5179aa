// Ferry's side of the holder (holder.ts): naming one for a checkpoint, having the stopped program
// start it with its connections before it is ended, and, at restore, asking it for them on behalf
// of the restoring process. Only a holder in the user's own private runtime directory is asked:
// a checkpoint naming any other socket (another user's, a path of its writer's choosing) gets its
// connections closed instead.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { callInTarget } from '../cdp/in-target';
import type { CdpConnection } from '../cdp/connection';
import { runtimeDirectory } from '../runtime-dir';
import { holderScriptPath } from '../assets';
import type { ConnectionHolder, ConnectionsRecord } from '../format/connections';
import { FerryError } from '../errors';
import { HOLDER_ANSWER, HOLDER_REQUEST } from './protocol';
import { askHolder, foreignHolder, isNoHolder } from './holder-address';

/** How long the holder may take to start and answer (it is a fresh `node` on a loaded machine). */
const HOLDER_START_TIMEOUT_MS = 15_000;

export class HandoverError extends FerryError {
  readonly kind = 'target';
}

/** A new holder's address: a fresh socket name in the runtime directory, and a token only the checkpoint will have. */
export function newHolder(): ConnectionHolder {
  return {
    path: join(runtimeDirectory(), `hold-${randomBytes(8).toString('hex')}.sock`), // HOLDER_SOCKET_NAME
    token: randomBytes(16).toString('hex'),
  };
}

/**
 * Run in the target (serialised), stopped at its checkpoint: starts the holder with the program's
 * descriptors as its 3, 4, … (spawn duplicates them before it returns), in a session of its own
 * so that it outlives the program. Returns its pid.
 */
function startHolder(node: string, script: string, path: string, token: string, fds: number[]): number {
  const child = process.getBuiltinModule('child_process').spawn(node, [script, 'hold', path, String(fds.length)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', ...fds],
    env: { FERRY_HOLDER_TOKEN: token },
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`cannot start ${node}`);
  return child.pid;
}

/**
 * Hands the stopped program's connections to the holder the checkpoint names, and returns once it
 * holds every one of them (the program may then be ended). On failure the holder is ended and the
 * program is left as it is.
 */
async function handOverConnections(cdp: CdpConnection, record: ConnectionsRecord): Promise<void> {
  const holder = record.holder!;
  const fds = record.sockets.map((c) => c.fd);
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression: callInTarget(startHolder, process.execPath, holderScriptPath(), holder.path, holder.token, fds),
    returnByValue: true,
    silent: true,
  });
  if (exceptionDetails)
    throw new HandoverError(
      `cannot hand the program's connections over: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`,
    );
  const pid = result.value as number;
  try {
    const held = await waitForHolder(holder, Date.now() + HOLDER_START_TIMEOUT_MS);
    if (held !== fds.length) throw new Error(`it holds ${held} of ${fds.length}`);
  } catch (error) {
    killQuietly(pid);
    rmSync(holder.path, { force: true });
    throw new HandoverError(
      `the holder of the program's connections did not start (${(error as Error).message}): the program goes on, no checkpoint was kept`,
    );
  }
}

/**
 * For a command that ends the program after its checkpoint: hands its connections over, or, when
 * that fails, removes the checkpoint just written (it would name a holder that is not there) and
 * says so; the program is left as it is.
 */
export async function handOverOrDiscard(
  cdp: CdpConnection,
  connections: ConnectionsRecord,
  checkpoint: string,
): Promise<void> {
  try {
    await handOverConnections(cdp, connections);
  } catch (error) {
    rmSync(checkpoint, { force: true });
    throw error;
  }
}

async function waitForHolder(holder: ConnectionHolder, deadline: number): Promise<number> {
  for (;;) {
    try {
      return (await holderStatus(holder)).count;
    } catch (error) {
      if (!isNoHolder(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** What a holder answers `status` with: how many descriptors it holds, its pid, and whether it relays them. */
async function holderStatus(holder: ConnectionHolder): Promise<HolderStatus> {
  const answer = await ask(holder, HOLDER_REQUEST.status);
  const [word, count, pid] = answer.split(' ');
  if (word !== HOLDER_ANSWER.holding && word !== HOLDER_ANSWER.relaying)
    throw new Error(`it answered ${JSON.stringify(answer)}`);
  return { count: Number(count), pid: Number(pid), relaying: word === HOLDER_ANSWER.relaying };
}

export interface HolderStatus {
  /** The descriptors it holds: the program's connections and listening sockets. */
  count: number;
  pid: number;
  /** It is the stub relaying them to a run on a host, no longer waiting for a restore. */
  relaying: boolean;
}

/**
 * The holder of a checkpoint's connections, if one of ours still holds them on this machine (for
 * the Checkpoints view); undefined when there is none, or none Ferry would ask.
 */
export async function heldHere(connections: ConnectionsRecord | undefined): Promise<HolderStatus | undefined> {
  const holder = connections?.holder;
  if (!holder || foreignHolder(holder)) return undefined;
  return holderStatus(holder).catch(() => undefined);
}

/**
 * Has the holder of a checkpoint's connections close them and end (`ferry release`, VS Code's
 * Release Held Connections): their peers see them close, the ports are free, and a restore of
 * the checkpoint gets them closed. Returns what it held; undefined when none of ours holds them
 * here. The holder refuses while it relays them to a run on a host: ending that run ends the stub.
 */
export async function releaseHeld(connections: ConnectionsRecord | undefined): Promise<HolderStatus | undefined> {
  const holder = connections?.holder;
  const status = await heldHere(connections);
  if (!holder || !status) return undefined;
  let answer;
  try {
    answer = await ask(holder, HOLDER_REQUEST.release);
  } catch (error) {
    if (isNoHolder(error)) return undefined; // it ended meanwhile: a restore took them
    throw error;
  }
  if (answer === HOLDER_ANSWER.released) return status;
  const why: Record<string, string> = {
    [HOLDER_ANSWER.busy]: 'a restore is taking them',
    [HOLDER_ANSWER.relaying]:
      'it relays them to a run on a host, which has them: stop that run (ferry stop, or Stop Remote Run in VS Code) to end it',
  };
  const [word] = answer.split(' ');
  throw new HandoverError(
    `their holder (pid ${status.pid}) keeps them: ${why[word] ?? `it answered ${JSON.stringify(answer)}`}`,
  );
}

async function ask(holder: ConnectionHolder, verb: string): Promise<string> {
  const { answer, conn } = await askHolder(holder, verb);
  conn.destroy();
  return answer;
}

/**
 * Asks the checkpoint's holder for its connections: the connection it answers `ok` on is the
 * restoring process's IPC channel (give it as NODE_CHANNEL_FD). Undefined when there is nothing to
 * take here (the holder is gone, or the checkpoint names none Ferry would ask): the restore then
 * has them closed, and says why (restore/connections.ts).
 */
export async function takeFromHolder(holder: ConnectionHolder): Promise<Socket | undefined> {
  if (foreignHolder(holder)) return undefined;
  let reply;
  try {
    reply = await askHolder(holder, HOLDER_REQUEST.take);
  } catch (error) {
    if (isNoHolder(error)) return undefined;
    throw error;
  }
  if (reply.answer === HOLDER_ANSWER.ok) return reply.conn;
  reply.conn.destroy();
  const why: Record<string, string> = {
    [HOLDER_ANSWER.busy]: 'another restore is taking them',
    [HOLDER_ANSWER.refused]: "it holds another checkpoint's (the tokens differ)",
  };
  throw new HandoverError(
    `the holder at ${holder.path} does not hand over the program's connections: ${why[reply.answer] ?? `it answered ${JSON.stringify(reply.answer)}`}`,
  );
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}
