// Local ports for tunnels: OpenSSH refuses `-L 0:` on a master, so Ferry picks a free one itself.
import net from 'node:net';

export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `8080` forwards local 8080 to remote 8080; `18080:8080` forwards local 18080 to remote 8080. */
export function parsePortMapping(spec: string | number): { local: number; remote: number } {
  const match = /^(?:(\d+):)?(\d+)$/.exec(String(spec));
  const valid = (port: number) => port >= 1 && port <= 65535;
  if (!match || !valid(Number(match[2])) || (match[1] !== undefined && !valid(Number(match[1]))))
    throw new Error(`not a port or LOCAL:REMOTE port pair: ${spec}`);
  return { local: Number(match[1] ?? match[2]), remote: Number(match[2]) };
}
