// A host made ready for runs: connected, probed, with a Node that can run the restore and Ferry's
// helper in place. Every remote command (restore, migrate, ps, logs, stop) starts here.
import { createHash } from 'node:crypto';
import { RemoteError } from './errors';
import { hostHelperSource } from '../assets';
import { canShipNode, nodeProblem, probe, SHIPPED_NODE, usableNode, type ProbeResult } from './probe';
import type { Progress } from './progress';
import { shq } from './shell';
import { SshHost } from './ssh';
import { ExecHost, parseExecHost } from './exec-host';
import type { RemoteHost } from './host';
import { hashEntries, sync, type Blob, type SyncEntry, type SyncOptions, type SyncResult } from './sync';

export const DEFAULT_REMOTE_DIR = '~/.ferry';

export interface HostOptions {
  /** An ssh_config alias, host, user@host or user@host:port; or a container: docker://NAME, podman://NAME, exec:PREFIX (exec-host.ts). */
  host: string;
  /** Another ssh_config file (ssh -F); SSH hosts only. */
  sshConfig?: string;
  /** Ferry's directory on the host (blobs/, runs/). Default ~/.ferry. */
  remoteDir?: string;
  /** When the host has no usable Node, copy this machine's (same platform and arch only). */
  shipNode?: boolean;
  /** Where the local SSH control sockets live (default ~/.ferry/ssh). */
  controlDir?: string;
}

let helperEntry: SyncEntry | undefined;
/** The host helper, stored under its hash so that hosts keep each version apart. */
function hostHelperEntry(): SyncEntry {
  const source = hostHelperSource();
  return (helperEntry ??= {
    target: `lib/helper-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.js`,
    source,
  });
}

export class RemoteSession {
  private constructor(
    readonly host: RemoteHost,
    readonly probe: ProbeResult,
    /** The Node that runs restores and the helper, on the host. */
    readonly node: string,
    /** Blobs not on the host yet that must go with the next sync (Ferry's helper, a shipped Node). */
    private pending: Blob[],
  ) {}

  get root(): string {
    return this.probe.root;
  }

  /** Connects and probes; `wanted` are files the caller will sync, so the probe can say which the host holds. */
  static async open(options: HostOptions, wanted: Blob[], progress?: Progress): Promise<RemoteSession> {
    progress?.step(`connecting to ${options.host}`);
    const host = await connectHost(options);
    progress?.step(`checking ${options.host}`);
    const [helper] = await hashEntries([hostHelperEntry()]);
    const found = await probe(host, options.remoteDir ?? DEFAULT_REMOTE_DIR, [
      helper.hash,
      ...wanted.map((blob) => blob.hash),
    ]);
    const pending = found.stored.has(helper.hash) ? [] : [helper];
    const node = usableNode(found);
    if (node) return new RemoteSession(host, found, node.path, pending);
    if (!options.shipNode || !canShipNode(found)) throw nodeProblem(found, host);
    progress?.step(`hashing this machine's Node to ship it`);
    const [shipped] = await hashEntries([{ target: SHIPPED_NODE, source: process.execPath, executable: true }]);
    return new RemoteSession(host, found, `${found.root}/${SHIPPED_NODE}`, [...pending, shipped]);
  }

  /** Sends what the host lacks of `blobs` (and of Ferry's own files), links them into place, then runs `options.then`. */
  async sync(blobs: Blob[], options: SyncOptions = {}): Promise<SyncResult> {
    const result = await sync(this.host, this.root, [...this.pending, ...blobs], this.probe.stored, {
      freeBytes: this.probe.freeBytes,
      ...options,
    });
    this.pending = [];
    return result;
  }

  /** Makes 127.0.0.1:localPort here reach 127.0.0.1:remotePort on the host, through the helper where the transport cannot. */
  forward(localPort: number, remotePort: number): Promise<void> {
    return this.host.forward(localPort, remotePort, (port) => this.helperCommand('connect', [String(port)]));
  }

  /** The shell command that runs a helper subcommand on the host. */
  async helperCommand(command: string, args: string[] = []): Promise<string> {
    if (this.pending.length) await this.sync([]);
    return [this.node, `${this.root}/${hostHelperEntry().target}`, command, this.root, ...args].map(shq).join(' ');
  }

  /** Runs a helper subcommand and returns its stdout; a helper refusal (unknown run) becomes a RemoteError. */
  async helper(command: string, args: string[] = []): Promise<string> {
    const result = await this.host.exec(await this.helperCommand(command, args));
    if (result.code === 2) throw new RemoteError('no-such-run', `${this.host.label}: ${result.stderr.trim()}`);
    if (result.code !== 0)
      throw new RemoteError(
        'ssh',
        `the Ferry helper on ${this.host.label} failed: ${result.stderr.trim() || `exit ${result.code}`}`,
      );
    return result.stdout.toString('utf8');
  }
}

/** The options that name this host again on a command line the user may paste (`--on 'exec:…'` quoted). */
export function onHostWords(options: HostOptions): string {
  return `--on ${shq(options.host)}${options.sshConfig ? ` --ssh-config ${shq(options.sshConfig)}` : ''}`;
}

/** The host `--on` names: a container reached by exec, else an SSH host. */
function connectHost(options: HostOptions): Promise<RemoteHost> {
  const container = parseExecHost(options.host);
  return container ? ExecHost.connect(container) : SshHost.connect(options);
}
