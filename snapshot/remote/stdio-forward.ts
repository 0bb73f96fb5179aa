// Port forwarding for a host without forwarding of its own (a container reached by exec): a
// listener on this machine's loopback, and for each connection it accepts one command on the host,
// the host helper's `connect`, whose stdin and stdout carry the connection's bytes each way.
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import type { PortConnector, RemoteHost } from './host';

export class StdioPortForwards {
  private readonly servers = new Map<string, Server>();

  constructor(private readonly host: Pick<RemoteHost, 'spawn' | 'label'>) {}

  /** Listens on 127.0.0.1:localPort; each connection reaches 127.0.0.1:remotePort on the host. */
  async open(localPort: number, remotePort: number, connector: PortConnector): Promise<void> {
    const command = await connector(remotePort);
    const server = createServer({ allowHalfOpen: true }, (socket) => this.carry(socket, command));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(
          new Error(
            `cannot forward local port ${localPort} to port ${remotePort} on ${this.host.label}: ${error.message}`,
          ),
        ),
      );
      server.listen(localPort, '127.0.0.1', resolve);
    });
    // A forward never keeps this process up by itself: it lasts as long as what uses it.
    server.unref();
    this.servers.set(key(localPort, remotePort), server);
  }

  close(localPort: number, remotePort: number): void {
    this.servers.get(key(localPort, remotePort))?.close();
    this.servers.delete(key(localPort, remotePort));
  }

  /** One connection: its bytes through a `connect` command there, each half closed as the other side closes it. */
  private carry(socket: Socket, command: string): void {
    const child: ChildProcess = this.host.spawn(command, ['pipe', 'pipe', 'ignore']);
    child.stdin!.on('error', () => undefined);
    socket.on('error', () => child.kill());
    socket.pipe(child.stdin!);
    child.stdout!.pipe(socket);
    child.once('error', () => socket.destroy());
    child.once('close', (code) => {
      if (code !== 0) socket.destroy();
    });
  }
}

function key(localPort: number, remotePort: number): string {
  return `${localPort}:${remotePort}`;
}
