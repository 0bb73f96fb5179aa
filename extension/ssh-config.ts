// Hosts named in an OpenSSH client config, for the host picker (as Remote-SSH lists them): every
// `Host` pattern without wildcards or negation, following `Include`s. No vscode import: testable alone.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parseExecHost } from '../snapshot/remote/exec-host';

export interface SshHostEntry {
  alias: string;
  /** The HostName it connects to, when the config says. */
  hostName?: string;
  user?: string;
  /** The config file that names it. */
  file: string;
}

export function defaultSshConfigFile(): string {
  return join(homedir(), '.ssh', 'config');
}

export function readSshHosts(file: string): SshHostEntry[] {
  const hosts = new Map<string, SshHostEntry>();
  collect(file, hosts, new Set());
  return [...hosts.values()];
}

function collect(file: string, hosts: Map<string, SshHostEntry>, visited: Set<string>): void {
  if (visited.has(file) || !existsSync(file) || !statSync(file).isFile()) return;
  visited.add(file);
  let current: SshHostEntry[] = [];
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(\S+?)\s*(?:=\s*|\s+)(.+)$/.exec(line);
    if (!match) continue;
    const keyword = match[1].toLowerCase();
    const values = match[2].split(/\s+/).map((v) => v.replace(/^"(.*)"$/, '$1'));
    if (keyword === 'host') {
      current = values.filter((v) => !/[*?!]/.test(v)).map((alias) => hosts.get(alias) ?? { alias, file });
      for (const entry of current) hosts.set(entry.alias, entry);
    } else if (keyword === 'match') {
      current = [];
    } else if (keyword === 'hostname') {
      for (const entry of current) entry.hostName ??= values[0];
    } else if (keyword === 'user') {
      for (const entry of current) entry.user ??= values[0];
    } else if (keyword === 'include') {
      for (const pattern of values)
        for (const included of expandInclude(pattern, dirname(file))) collect(included, hosts, visited);
    }
  }
}

/** `Include` paths are relative to the including file's folder (~/.ssh for the user config); `*` in the last component matches files there. */
function expandInclude(pattern: string, base: string): string[] {
  const path = pattern.startsWith('~/')
    ? join(homedir(), pattern.slice(2))
    : isAbsolute(pattern)
      ? pattern
      : join(base, pattern);
  if (!path.includes('*')) return [path];
  const dir = dirname(path);
  const name = new RegExp(
    `^${path
      .slice(dir.length + 1)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  try {
    return readdirSync(dir)
      .filter((f) => name.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** What a user may type for a host: alias, host, user@host, user@host:port, or a container (docker://NAME, podman://NAME, exec:PREFIX). */
export function isHostSpec(text: string): boolean {
  return /^([\w.-]+@)?[\w.-]+(:\d{1,5})?$/.test(text.trim()) || isContainerSpec(text.trim());
}

function isContainerSpec(spec: string): boolean {
  try {
    return parseExecHost(spec) !== undefined;
  } catch {
    return false;
  }
}
