// A migration to a host that shares the origin's addresses (the same machine: a loopback host, a
// container on it) finds every port still held by the frozen origin, and the restored servers could
// not listen. So the origin lets go of its listening sockets right before the host listens again,
// and takes them back if the handover fails: the program goes on here with its servers as they were.
// A listening socket cannot be handed to another machine, so this is the one way that works for
// both; for another machine it changes nothing (the origin ends once the host is up).
import type { TargetSession } from '../capture/target-session';
import type { ProgramValue } from '../heap/program-value';
import { callInTarget } from '../cdp/in-target';

const OBJECT_GROUP = 'ferry-released-servers';

/** The servers the origin let go of (a handle in the target), for `listenAgain`. */
export interface ReleasedServers {
  objectId: string;
  addresses: string[];
}

/** Closes the origin's listening sockets (it is stopped, and stays so); undefined when it has none. */
export async function releaseListeningSockets(origin: TargetSession): Promise<ReleasedServers | undefined> {
  const { result, exceptionDetails } = await origin.cdp.send('Runtime.evaluate', {
    expression: callInTarget(closeListeningSockets),
    objectGroup: OBJECT_GROUP,
    silent: true,
  });
  if (exceptionDetails || !result.objectId)
    throw new Error(
      `cannot free the program's ports for the host: ${exceptionDetails?.exception?.description ?? exceptionDetails?.text ?? 'no result'}`,
    );
  const { result: addresses } = await origin.cdp.send('Runtime.callFunctionOn', {
    objectId: result.objectId,
    functionDeclaration: 'function () { return this.map((s) => s.where); }',
    returnByValue: true,
    silent: true,
  });
  return (addresses.value as string[]).length > 0
    ? { objectId: result.objectId, addresses: addresses.value as string[] }
    : undefined;
}

/** Listens again where the released servers listened; returns the addresses it could not take back, each with why. */
export async function listenAgain(origin: TargetSession, released: ReleasedServers): Promise<string[]> {
  try {
    const { result, exceptionDetails } = await origin.cdp.send('Runtime.callFunctionOn', {
      objectId: released.objectId,
      functionDeclaration: reopenListeningSockets.toString(),
      returnByValue: true,
      silent: true,
    });
    const why = exceptionDetails?.exception?.description ?? exceptionDetails?.text;
    return why ? released.addresses.map((where) => `${where} (${why.split('\n')[0]})`) : (result.value as string[]);
  } catch (error) {
    return released.addresses.map((where) => `${where} (${(error as Error).message})`);
  } finally {
    await origin.cdp.send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }).catch(() => undefined);
  }
}

interface Released {
  server: ProgramValue;
  where: string;
  address: { address: string; port: number } | string;
}

/**
 * In the target: closes the listening socket of each listening server and nothing else, so the
 * program sees no 'close' and its connections stay. The port is free once this returns (libuv
 * closes the descriptor at once).
 */
function closeListeningSockets(): Released[] {
  const net = process.getBuiltinModule('net');
  const released: Released[] = [];
  for (const handle of (process as ProgramValue)._getActiveHandles()) {
    if (!(handle instanceof net.Server) || !(handle as ProgramValue).listening) continue;
    const server = handle as ProgramValue;
    const address = server.address();
    released.push({
      server,
      address,
      where: typeof address === 'string' ? address : `${address.address}:${address.port}`,
    });
    server._handle.close();
    server._handle = null;
  }
  return released;
}

/**
 * In the target (`this`: what closeListeningSockets returned): binds each address again at once
 * (`_listen2`, the step listen() takes after its address lookup). The program hears neither the
 * 'listening' it heard already nor the error of an address taken meanwhile (reported instead).
 * No named inner functions: a loader's name-keeping helper would not exist in the target.
 */
function reopenListeningSockets(this: Released[]): string[] {
  const net = process.getBuiltinModule('net');
  const lost: string[] = [];
  for (const { server, address, where } of this) {
    const heard = { listening: server.rawListeners('listening'), error: server.rawListeners('error') };
    server.removeAllListeners('listening');
    server.removeAllListeners('error');
    if (typeof address === 'string') server.listen(address);
    else server._listen2(address.address, address.port, net.isIP(address.address), undefined, undefined, 0);
    if (!server.listening) {
      lost.push(`${where} (taken meanwhile)`);
      server.once('error', () => undefined);
    }
    // After Node's 'listening' or 'error', queued a tick ago: the program's listeners come back.
    process.nextTick(() => {
      for (const event of ['listening', 'error'] as const) {
        server.removeAllListeners(event);
        for (const fn of heard[event]) server.on(event, fn);
      }
    });
  }
  return lost;
}
