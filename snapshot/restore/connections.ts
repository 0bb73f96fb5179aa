// The restore's side of a checkpoint's connections (snapshot/connections/protocol.ts). `ferry
// restore` starts this process with an IPC channel to the holder's deliverer (NODE_CHANNEL_FD):
// the descriptors are taken before anything of the program is made; once the program has them
// the deliverer is told, and the channel is closed and forgotten, so that the program sees a
// process without one, as it had (VS Code's Resume Locally starts it so too, in its terminal
// through target/terminal-handover.ts). A restore started otherwise (`node restore.js` by hand)
// has the holder close them instead, so that the program can listen on its ports again: it gets
// them closed.
import { HOLDER_ANSWER, HOLDER_REQUEST, isHandoverMessage, type HandoverMessage } from '../connections/protocol';
import { askHolder, foreignHolder, isNoHolder } from '../connections/holder-address';
import type { ConnectionsRecord } from '../format/connections';

/** How long the deliverer may take to hand everything over: it is on this machine, each handle is a message. */
const TAKE_TIMEOUT_MS = 30_000;

export class ConnectionsNotTakenError extends Error {}

export interface TakenConnections {
  /** The descriptors handed over, by their index in the checkpoint's connections record. */
  handles: Map<number, unknown>;
  /**
   * Tells the deliverer the program has them (the holder then closes its copies, so that a
   * connection the program closes is closed for its peer), then closes the channel and takes away
   * what Node put on `process` for it: a program that checks `process.send` sees what it saw before.
   */
  release(): void;
}

type ChannelProcess = NodeJS.Process & { send?: (message: HandoverMessage, callback?: () => void) => boolean };

/** Node's own members and listeners of `process` for an IPC channel (child_process's setupChannel, _forkChild). */
const CHANNEL_MEMBERS = [
  'send',
  'disconnect',
  '_send',
  '_disconnect',
  'connected',
  'channel',
  '_channel',
  '_handleQueue',
  '_pendingMessage',
];
const CHANNEL_EVENTS = ['internalMessage', 'newListener', 'removeListener'];

export function takeConnections(): Promise<TakenConnections> {
  const channel = process as ChannelProcess;
  if (typeof channel.send !== 'function')
    return Promise.reject(new ConnectionsNotTakenError('no channel to the holder of the connections'));
  // Taken now: the program's own process listeners are added later.
  const nodeListeners = CHANNEL_EVENTS.map((event) => [event, process.rawListeners(event)] as const);
  const release = () =>
    channel.send!({ ferry: 'taken' }, () => {
      process.disconnect();
      for (const key of CHANNEL_MEMBERS) Reflect.deleteProperty(process, key);
      for (const [event, listeners] of nodeListeners)
        for (const listener of listeners) process.off(event, listener as (...args: unknown[]) => void);
    });
  return receive(channel).then((handles) => ({ handles, release }));
}

function receive(channel: ChannelProcess): Promise<Map<number, unknown>> {
  const handles = new Map<number, unknown>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new ConnectionsNotTakenError('their holder did not hand them over')),
      TAKE_TIMEOUT_MS,
    );
    const finish = (error?: Error) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      process.off('disconnect', onGone);
      if (error) reject(error);
      else resolve(handles);
    };
    const onGone = () => finish(new ConnectionsNotTakenError('their holder went away while handing them over'));
    const onMessage = (message: unknown, handle: unknown) => {
      if (!isHandoverMessage(message)) return;
      if (message.ferry === 'connection' && handle) handles.set(message.index, handle);
      else if (message.ferry === 'delivered') finish();
    };
    process.on('message', onMessage);
    process.once('disconnect', onGone);
    channel.send!({ ferry: 'take' });
  });
}

/**
 * Why the program gets its connections closed (a restore that does not take them): the holder, if
 * there is one this restore may ask, is told to close them first, freeing the program's ports.
 */
export async function releaseConnections(connections: ConnectionsRecord): Promise<string> {
  const { holder } = connections;
  if (!holder) return 'they stayed with the program the checkpoint was taken from (--then continue)';
  const foreign = foreignHolder(holder);
  if (foreign) return `${foreign} (connections are handed over on the machine that holds them)`;
  try {
    const { answer, conn } = await askHolder(holder, HOLDER_REQUEST.release);
    conn.destroy();
    if (answer === HOLDER_ANSWER.released)
      return 'this restore does not take them (`ferry restore` does): their holder closed them';
    return answer.startsWith(HOLDER_ANSWER.relaying)
      ? `their holder at ${holder.path} relays them to a run on a host, which has them`
      : `their holder at ${holder.path} answered ${JSON.stringify(answer)}`;
  } catch (error) {
    if (isNoHolder(error)) return `no holder answers at ${holder.path}`;
    throw error;
  }
}
