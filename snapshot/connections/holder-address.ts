// Reaching the holder a checkpoint names (holder.ts), for Ferry (handover.ts) and for the restore
// runtime (restore/connections.ts) alike. Only a holder's socket in the user's own private runtime
// directory is asked: a checkpoint naming any other (another user's, a path of its writer's
// choosing) is not followed. Every request carries the checkpoint's token and the holder's own key,
// read from the 0600 file the holder wrote beside its socket: the checkpoint alone (it travels to
// hosts, it may be copied) does not command the holder; its owner on this machine does.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { connect, type Socket } from 'node:net';
import { runtimeDirectory } from '../runtime-dir';
import type { ConnectionHolder } from '../format/connections';

/** The name of a holder's socket in the runtime directory (handover.ts makes them). */
export const HOLDER_SOCKET_NAME = /^hold-[0-9a-f]{16}\.sock$/;

/** Why a checkpoint's holder is not one Ferry asks: not a holder's socket in this user's runtime directory. */
export function foreignHolder(holder: ConnectionHolder): string | undefined {
  let ours: string;
  try {
    ours = runtimeDirectory();
  } catch (error) {
    return (error as Error).message; // no private directory here: no holder of ours either
  }
  if (dirname(holder.path) !== ours || !HOLDER_SOCKET_NAME.test(basename(holder.path)))
    return `the checkpoint names ${holder.path}, which is not a holder's socket in this user's runtime directory`;
  return undefined;
}

/** The holder's key, beside its socket: it writes it (0600) before it listens, and removes it as it ends. */
export function holderKeyPath(holder: Pick<ConnectionHolder, 'path'>): string {
  return holder.path.replace(/\.sock$/, '.key');
}

/** Whether connecting failed because no holder is there (gone, or never started). */
export function isNoHolder(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ECONNREFUSED';
}

/**
 * Sends one request line and reads the answer line; the connection is left paused after it, for
 * what follows. A holder whose key is gone has ended (ENOENT, as for its socket).
 */
export function askHolder(
  holder: ConnectionHolder,
  verb: string,
  argument?: string,
): Promise<{ answer: string; conn: Socket }> {
  return new Promise((resolve, reject) => {
    const key = readFileSync(holderKeyPath(holder), 'latin1').trim();
    const words = [verb, holder.token, key, ...(argument === undefined ? [] : [argument])];
    const line = words.join(' ');
    const conn = connect(holder.path, () => conn.write(`${line}\n`));
    let text = '';
    conn.on('error', reject);
    conn.on('close', () => reject(new Error('it closed the connection')));
    conn.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\n');
      if (end < 0) return;
      conn.pause();
      conn.removeAllListeners('data');
      conn.removeAllListeners('close');
      resolve({ answer: text.slice(0, end), conn });
    });
  });
}
