// What /proc says about a process before Ferry sends it anything (Linux): that it is the user's
// own, that its executable is Node, where its inspector can listen, and when it started.
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, readlinkSync } from 'node:fs';

export interface NodeProcess {
  pid: number;
  /** Its Node executable (/proc/PID/exe). */
  executable: string;
  /** The ports its inspector can be on: its --inspect flags (command line, NODE_OPTIONS), else 9229; 0 for a port of its own choice. */
  inspectorPorts: number[];
  /** Clock ticks since boot at its start (/proc/PID/stat): with the pid, names this process and no later one. */
  startTime: string;
}

export const DEFAULT_INSPECTOR_PORT = 9229;
const OPTIONS_WITH_VALUE = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-e',
  '--eval',
  '-p',
  '--print',
  '-C',
  '--conditions',
  '--title',
  '--env-file',
  '--input-type',
]);
/** node::Start: exported by every Node binary (for addons), or imported from libnode by one built shared. */
const NODE_START_SYMBOL = Buffer.from('_ZN4node5Start');
const SHT_DYNSYM = 11;

/**
 * Checks that `pid` is a Node process of this user, in this order, before anything is sent to it:
 * SIGUSR1 ends most other programs, and another user's process is not ours to run code in (root
 * included: run Ferry as the program's owner).
 */
export function nodeProcess(pid: number): NodeProcess {
  const status = readProc(pid, 'status');
  const owner = foreignUid(status);
  if (owner !== undefined)
    throw new Error(`process ${pid} belongs to another user (uid ${owner}); Ferry attaches only to your own processes`);
  let exe: string;
  let isNode: boolean;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
    isNode = isNodeExecutable(`/proc/${pid}/exe`);
  } catch (error) {
    throw new Error(
      `cannot read the executable of process ${pid} (${(error as Error).message}): Ferry does not signal a process it cannot tell is Node.js`,
    );
  }
  if (!isNode) throw new Error(`process ${pid} runs ${exe}, not Node.js: Ferry does not signal it`);
  return { pid, executable: exe, inspectorPorts: inspectorPorts(pid), startTime: startTimeOf(pid) };
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self'))
      throw new Error(`no process with pid ${pid}`);
    throw new Error(`cannot read /proc/${pid}: Ferry attaches by pid only on Linux, to processes of this user`);
  }
}

/** The process's real or effective uid when either is not ours (a set-uid program counts as its owner's). */
function foreignUid(status: string): number | undefined {
  const [real, effective] = (/^Uid:\s+(\d+)\s+(\d+)/m.exec(status) ?? []).slice(1).map(Number);
  const own = process.geteuid!();
  if (effective !== own) return effective;
  return real !== own ? real : undefined;
}

/** /proc/PID/stat's field 22, read after the command name (which may hold spaces and parentheses). */
export function startTimeOf(pid: number): string {
  const stat = readProc(pid, 'stat');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** True when the ELF file's dynamic symbols name node::Start: a renamed node is Node, a `sleep` named `nodewatcher` is not. */
export function isNodeExecutable(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    return dynamicStrings(fd)?.includes(NODE_START_SYMBOL) ?? false;
  } finally {
    closeSync(fd);
  }
}

/** The string table of the ELF file's dynamic symbols (32 or 64 bit, either byte order), or undefined when it has none. */
function dynamicStrings(fd: number): Buffer | undefined {
  const header = readAt(fd, 0, 64);
  if (header.length < 52 || header.toString('latin1', 0, 4) !== '\x7fELF') return undefined;
  const wide = header[4] === 2;
  const little = header[5] === 1;
  const u16 = (b: Buffer, at: number) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const word = (b: Buffer, at: number) =>
    wide ? Number(little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at)) : u32(b, at);
  const entrySize = u16(header, wide ? 0x3a : 0x2e);
  const table = readAt(fd, word(header, wide ? 0x28 : 0x20), entrySize * u16(header, wide ? 0x3c : 0x30));
  const section = (index: number) => {
    const at = index * entrySize;
    if (at + entrySize > table.length) return undefined;
    return {
      type: u32(table, at + 4),
      offset: word(table, at + (wide ? 0x18 : 0x10)),
      size: word(table, at + (wide ? 0x20 : 0x14)),
      link: u32(table, at + (wide ? 0x28 : 0x18)),
    };
  };
  for (let i = 0; ; i++) {
    const symbols = section(i);
    if (!symbols) return undefined;
    if (symbols.type !== SHT_DYNSYM) continue;
    const strings = section(symbols.link);
    return strings && readAt(fd, strings.offset, Math.min(strings.size, 256 << 20));
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

/** The ports named by --inspect flags on the command line and in NODE_OPTIONS, and 9229 (SIGUSR1's). */
function inspectorPorts(pid: number): number[] {
  const args = readProc(pid, 'cmdline').split('\0');
  let environ = '';
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    // unreadable: the command line is all we know
  }
  const nodeOptions = /(?:^|\0)NODE_OPTIONS=([^\0]*)/.exec(environ)?.[1] ?? '';
  const ports = new Set<number>([DEFAULT_INSPECTOR_PORT]);
  const nodeArgs = args.slice(1);
  // Node's own options end at the script (or `--`); what follows is the program's.
  const end = nodeArgs.findIndex(
    (arg, i) => arg === '--' || (!arg.startsWith('-') && !OPTIONS_WITH_VALUE.has(nodeArgs[i - 1])),
  );
  for (const arg of [...nodeOptions.split(/\s+/), ...(end < 0 ? nodeArgs : nodeArgs.slice(0, end))]) {
    const flag = /^--inspect(?:-brk|-wait|-port)?=(?:.*:)?(\d+)$/.exec(arg);
    if (flag) ports.add(Number(flag[1]));
  }
  return [...ports];
}

/** Loopback TCP ports in LISTEN state whose socket inode is one of the process's fds (Linux). */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const match = /^socket:\[(\d+)\]$/.exec(link);
        if (match) inodes.add(match[1]);
      } catch {
        // fd closed while we looked
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      if (inodes.has(cols[9])) ports.push(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports;
}
