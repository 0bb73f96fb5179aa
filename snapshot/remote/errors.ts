// Failures of remote operations, each with a reason a caller can act on and a message a user can.
import { FerryError } from '../errors';

export type RemoteFailureReason =
  | 'unreachable'
  | 'auth'
  | 'host-key-changed'
  | 'host-key-unknown'
  | 'connection-lost'
  | 'ssh'
  | 'node-missing'
  | 'node-too-old'
  | 'not-writable'
  | 'disk-full'
  | 'restore-failed'
  | 'no-such-run'
  | 'not-stopped';

export class RemoteError extends FerryError {
  readonly kind = 'remote';
  constructor(
    readonly reason: RemoteFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** Turns what ssh printed when it exited 255 into a message that says what went wrong and what to do. */
export function sshFailure(hostLabel: string, stderr: string): RemoteError {
  const text = stderr.replace(/\r/g, '');
  const last = lastMeaningfulLine(text);
  // A command riding on a master says nothing when the master dies (its timeout goes to the master's own log).
  if (!last) return new RemoteError('connection-lost', `lost the connection to ${hostLabel} (no answer)`);
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(text)) {
    const offending = /Offending \S+ key in (\S+):(\d+)/.exec(text);
    return new RemoteError(
      'host-key-changed',
      `the host key of ${hostLabel} does not match the one recorded${offending ? ` in ${offending[1]}:${offending[2]}` : ' in known_hosts'}: someone may be intercepting the connection, or the host was reinstalled. Ferry will not connect. If the change is expected, check the new key's fingerprint and replace the old entry (ssh-keygen -R).`,
    );
  }
  if (/Host key verification failed|No \S+ host key is known for/.test(text)) {
    return new RemoteError(
      'host-key-unknown',
      `the host key of ${hostLabel} is not known (not in known_hosts). Connect once with \`ssh ${hostLabel}\` to check and record it, then retry.`,
    );
  }
  if (/Permission denied \(|Too many authentication failures|Authentication failed/.test(text)) {
    return new RemoteError(
      'auth',
      `authentication to ${hostLabel} failed (${last}). Check the user name, the key (IdentityFile) or that your ssh-agent holds it.`,
    );
  }
  if (/Could not resolve hostname|Name or service not known|nodename nor servname/.test(text)) {
    return new RemoteError('unreachable', `cannot resolve the host name of ${hostLabel} (${last})`);
  }
  if (
    /Connection refused|Connection timed out|Operation timed out|No route to host|Network is unreachable|connect to host|banner exchange/.test(
      text,
    )
  ) {
    return new RemoteError('unreachable', `${hostLabel} is unreachable: ${last}`);
  }
  if (
    /Timeout, server .* not responding|Connection closed by|Connection reset|closed by remote host|Broken pipe|mux_client|Control socket connect/.test(
      text,
    )
  ) {
    return new RemoteError('connection-lost', `lost the connection to ${hostLabel} (${last})`);
  }
  return new RemoteError('ssh', `ssh to ${hostLabel} failed: ${last}`);
}

function lastMeaningfulLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^(Warning: Permanently added|Pseudo-terminal will not)/.test(line));
  return lines.at(-1) ?? '';
}
