// `connect ROOT PORT`: joins stdin and stdout to 127.0.0.1:PORT on the host, one connection: the
// end of stdin half closes it, its end from the port's side ends this. The host's end of a port forwarded to a host that has no
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
  // The port's side ended: this connection is over once its last bytes are out (fd 1 cannot be half
  // closed by Node, only by exiting; what the client would still send after that is dropped).
  socket.on('end', () => process.stdout.write(Buffer.alloc(0), () => process.exit(0)));
  socket.on('close', () => process.stdin.destroy());
}
