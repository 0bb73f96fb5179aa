// `connect ROOT PORT`: joins stdin and stdout to 127.0.0.1:PORT on the host, one connection, each
// half closed as the other side closes it. The host's end of a port forwarded to a host that has no
// forwarding of its own (remote/stdio-forward.ts); a refused connection exits 1.
import { connect } from 'node:net';

export function connectPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`not a port: ${port}`);
  const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  process.stdin.pipe(socket);
  socket.pipe(process.stdout);
  socket.on('error', (error) => {
    process.stderr.write(`cannot reach port ${port}: ${error.message}\n`);
    process.exit(1);
  });
  // The other side's end need not come (the client may never close its half): this connection is over.
  socket.on('close', () => process.stdin.destroy());
}
