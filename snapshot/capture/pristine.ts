// What a fresh process of the target's own Node binary has, asked once per binary and set of loaded
// built-in modules and kept on disk (below): its global names (whatever else is on the target's
// global object, the program put there), the own keys of each global and of its prototype (what a
// library hung on Error or Promise is the program's, not a built-in that a fresh process could
// name), and the prints of the functions its built-in walk names (what a program replaced or took
// away, see capture/agent/runtime-names.ts). Run by dist/pristine.js (capture/pristine-probe.ts).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CdpConnection } from '../cdp/connection';
import type { PristineNames } from './agent/kept';
import { pristineProbePath } from '../assets';
import { callInTarget } from '../cdp/in-target';
import { runtimeDirectory, unlinkQuietly } from '../runtime-dir';

export type PristineRuntime = PristineNames;

const cache = new Map<string, PristineRuntime>();

/** The target's Node binary and the public built-in modules it has loaded, in the order it loaded them. */
function targetRuntime(): { execPath: string; loaded: string[] } {
  const target = process as unknown as { moduleLoadList: string[]; getBuiltinModule(name: string): unknown };
  const builtin = new Set((target.getBuiltinModule('module') as { builtinModules: string[] }).builtinModules);
  const loaded = target.moduleLoadList
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length))
    .filter((name) => builtin.has(name) && !name.startsWith('_'));
  return { execPath: process.execPath, loaded };
}

export async function pristineRuntime(cdp: CdpConnection): Promise<PristineRuntime> {
  const { result } = await cdp.send('Runtime.evaluate', {
    expression: callInTarget(targetRuntime),
    returnByValue: true,
  });
  const { execPath, loaded } = result.value as ReturnType<typeof targetRuntime>;
  const key = `${execPath}\n${loaded.join(',')}`;
  let pristine = cache.get(key);
  if (!pristine) {
    const file = cacheFile(execPath, loaded);
    pristine = file ? readCached(file) : undefined;
    if (!pristine) {
      pristine = await askFreshProcess(execPath, loaded);
      if (file) writeCached(file, pristine);
    }
    cache.set(key, pristine);
  }
  return pristine;
}

/** Asked without blocking: capture reads the program's scripts meanwhile. */
async function askFreshProcess(execPath: string, loaded: string[]): Promise<PristineRuntime> {
  const { stdout } = await promisify(execFile)(execPath, [pristineProbePath(), JSON.stringify(loaded)], {
    encoding: 'utf8',
    env: {},
    maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout) as PristineRuntime;
}

/**
 * A fresh process takes 200–350 ms to answer, once per Ferry process and target binary: the answer
 * is kept in the private runtime directory, named by what decides it: the binary (its path, size,
 * inode and change time), the modules loaded and the probe's own code.
 */
const CACHE_PREFIX = 'pristine-';
/** Answers kept at most (a program's set of loaded modules names one): the oldest go first. */
const CACHE_FILES = 32;

function cacheFile(execPath: string, loaded: string[]): string | undefined {
  try {
    const binary = statSync(execPath);
    const key = [execPath, binary.size, binary.ino, binary.ctimeMs, loaded.join(','), probeHash()].join('\n');
    return join(
      runtimeDirectory(),
      `${CACHE_PREFIX}${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`,
    );
  } catch {
    return undefined; // no binary to name (a remote one), or no private directory: asked each time
  }
}

let probeDigest: string | undefined;
function probeHash(): string {
  return (probeDigest ??= createHash('sha256').update(readFileSync(pristineProbePath())).digest('hex'));
}

function readCached(file: string): PristineRuntime | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PristineRuntime;
  } catch {
    return undefined; // none yet, or cut short: asked again
  }
}

function writeCached(file: string, pristine: PristineRuntime): void {
  try {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(pristine), { mode: 0o600 });
    renameSync(temp, file);
    dropOldest(join(file, '..'));
  } catch {
    // a cache only: the next capture asks again
  }
}

function dropOldest(dir: string): void {
  const kept = readdirSync(dir)
    .filter((name) => name.startsWith(CACHE_PREFIX) && name.endsWith('.json'))
    .map((name) => ({ path: join(dir, name), at: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { path } of kept.slice(CACHE_FILES)) unlinkQuietly(path);
}
