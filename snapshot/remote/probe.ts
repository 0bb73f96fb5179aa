// What a host offers before anything is sent: its Node, platform, a writable Ferry directory, free disk,
// and which of the blobs we are about to need it already holds. One round trip.
import { readFileSync, readlinkSync } from 'node:fs';
import { RemoteError } from './errors';
import { shPath, shScript } from './shell';
import type { RemoteHost } from './host';

export const MIN_NODE_MAJOR = 20;

export interface NodeOnHost {
  path: string;
  version: string;
  /** Installed by Ferry (--ship-node) rather than found on the PATH. */
  shipped: boolean;
}

export interface ProbeResult {
  /** The Ferry directory on the host, absolute. */
  root: string;
  /** Node's names (process.platform / process.arch), so they compare with this machine's. */
  platform: string;
  arch: string;
  nodes: NodeOnHost[];
  freeBytes: number;
  /** Of the blobs asked about, those the host holds already. */
  stored: Set<string>;
  /** Its machine's boot and its network namespace (Linux), to tell a host that shares this machine's addresses. */
  network: string;
}

/** Where a shipped Node binary lives, relative to the Ferry directory. */
export const SHIPPED_NODE = 'node/bin/node';

export async function probe(host: RemoteHost, remoteDir: string, hashes: Iterable<string>): Promise<ProbeResult> {
  const asked = [...hashes];
  const script = [
    `root=${shPath(remoteDir)}`,
    'mkdir -p "$root/blobs" "$root/runs" 2>/dev/null',
    'cd "$root" 2>/dev/null || { echo "error=cannot create or enter $root"; exit 0; }',
    'echo "root=$(pwd)"',
    '[ -w blobs ] && [ -w runs ] && echo writable=1 || echo writable=0',
    'echo "os=$(uname -s)"; echo "arch=$(uname -m)"',
    `for n in "$(command -v node 2>/dev/null)" "$(pwd)/${SHIPPED_NODE}"; do [ -n "$n" ] && [ -x "$n" ] && echo "node=$("$n" --version 2>/dev/null) $n"; done`,
    `echo "free=$(df -Pk . | awk 'NR==2 {print $4}')"`,
    'echo "network=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) $(readlink /proc/self/ns/net 2>/dev/null)"',
    ...(asked.length ? [`for h in ${asked.join(' ')}; do [ -f "blobs/$h" ] && echo "stored=$h"; done`] : []),
    'exit 0',
  ].join('\n');
  const result = await host.exec(shScript(script));
  const facts = result.stdout
    .toString('utf8')
    .split('\n')
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  const one = (key: string) => facts.find(([k]) => k === key)?.[1] ?? '';
  const error = one('error');
  if (error || result.code !== 0)
    throw new RemoteError(
      'not-writable',
      `${host.label}: ${error || result.stderr.trim() || `probe exited ${result.code}`}`,
    );
  const root = one('root');
  if (one('writable') !== '1') throw new RemoteError('not-writable', `${host.label}: ${root} is not writable`);
  const nodes = facts
    .filter(([k]) => k === 'node')
    .map(([, value]) => {
      const space = value.indexOf(' ');
      const path = value.slice(space + 1);
      return { version: value.slice(0, space), path, shipped: path === `${root}/${SHIPPED_NODE}` };
    })
    .filter((node) => node.version.startsWith('v'));
  return {
    root,
    platform: NODE_PLATFORMS[one('os')] ?? one('os').toLowerCase(),
    arch: NODE_ARCHS[one('arch')] ?? one('arch'),
    nodes,
    freeBytes: Number(one('free')) * 1024,
    stored: new Set(facts.filter(([k]) => k === 'stored').map(([, hash]) => hash)),
    network: one('network'),
  };
}

/**
 * Whether the host listens on this machine's addresses (the same machine, in the same network
 * namespace): a port held here is taken there too. Unknown (not Linux) counts as not.
 */
export function sharesOurNetwork(found: ProbeResult): boolean {
  let ours: string;
  try {
    ours = `${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()} ${readlinkSync('/proc/self/ns/net')}`;
  } catch {
    return false;
  }
  return found.network === ours;
}

const NODE_PLATFORMS: Record<string, string> = {
  Linux: 'linux',
  Darwin: 'darwin',
  FreeBSD: 'freebsd',
  OpenBSD: 'openbsd',
  SunOS: 'sunos',
  AIX: 'aix',
};
const NODE_ARCHS: Record<string, string> = {
  x86_64: 'x64',
  amd64: 'x64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv7l: 'arm',
  armv6l: 'arm',
  i686: 'ia32',
  i386: 'ia32',
  ppc64le: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export function nodeMajor(version: string): number {
  return Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
}

/** The host's Node that can run the restore, preferring the one on its PATH over a shipped one. */
export function usableNode(found: ProbeResult): NodeOnHost | undefined {
  return found.nodes.find((node) => nodeMajor(node.version) >= MIN_NODE_MAJOR);
}

/** Why this host's Node will not do, and what the user can do about it. */
export function nodeProblem(found: ProbeResult, host: Pick<RemoteHost, 'label' | 'commandContext'>): RemoteError {
  const hostLabel = host.label;
  const here = `${process.platform}-${process.arch}`;
  const there = `${found.platform}-${found.arch}`;
  const remedy =
    here === there
      ? `Install Node >= ${MIN_NODE_MAJOR} there, or pass --ship-node to copy this machine's Node (${process.version}, ${here}).`
      : `Install Node >= ${MIN_NODE_MAJOR} there (this machine's Node cannot be shipped: it is ${here}, the host is ${there}).`;
  if (found.nodes.length === 0)
    return new RemoteError(
      'node-missing',
      `Node.js is not installed on ${hostLabel} (no \`node\` on the PATH of ${host.commandContext}). ${remedy}`,
    );
  const newest = found.nodes.map((node) => node.version).join(', ');
  return new RemoteError(
    'node-too-old',
    `Node.js on ${hostLabel} is too old (${newest}; Ferry needs >= ${MIN_NODE_MAJOR}). ${remedy}`,
  );
}

export function canShipNode(found: ProbeResult): boolean {
  return found.platform === process.platform && found.arch === process.arch;
}
