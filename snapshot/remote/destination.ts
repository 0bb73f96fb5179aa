// What the user typed after --on: an ssh_config alias, `host`, `user@host`, `user@host:port` or `[v6addr]:port`.

export interface Destination {
  /** The host argument handed to ssh (an alias stays an alias so ~/.ssh/config applies). */
  host: string;
  user?: string;
  port?: number;
  /** As the user wrote it, for messages. */
  label: string;
}

export function parseDestination(spec: string): Destination {
  const label = spec;
  let rest = spec.startsWith('ssh://') ? spec.slice('ssh://'.length).replace(/\/$/, '') : spec;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let host = rest;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  const plain = /^([^:]+):(\d+)$/.exec(rest);
  if (bracketed) {
    host = bracketed[1];
    port = bracketed[2] === undefined ? undefined : Number(bracketed[2]);
  } else if (plain) {
    host = plain[1];
    port = Number(plain[2]);
  }
  if (!host || user === '' || /\s/.test(spec) || host.startsWith('-'))
    throw new Error(`not a host: "${spec}" (expected an ssh_config alias, host, user@host or user@host:port)`);
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`not a port in "${spec}"`);
  return { host, user, port, label };
}

/** ssh arguments naming the destination (options first, host last). */
export function destinationArgs(destination: Destination): string[] {
  return [
    ...(destination.user ? ['-l', destination.user] : []),
    ...(destination.port ? ['-p', String(destination.port)] : []),
    '--',
    destination.host,
  ];
}
