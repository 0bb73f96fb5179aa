// Programs and their peers driven as a user would, for the tests of live connections (test/live,
// test/remote/relay.test.ts): processes whose output is read as it comes, `ferry` commands, a
// program under `ferry run` and its checkpoint with `--then stop`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredManifest } from '../../snapshot/format/manifest';
import type { ConnectionHolder } from '../../snapshot/format/connections';

export const FERRY = join(__dirname, '..', '..', 'dist', 'cli.js');

/** A process of the test, its output as it comes. */
export class Running {
  stdout = '';
  stderr = '';
  readonly exit: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exit = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }

  /** Resolves with the first match of `pattern` in its stdout (or stderr), once it is there. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pattern.exec(this.stdout) ?? pattern.exec(this.stderr);
      if (found) return found;
      if (Date.now() > deadline || this.child.exitCode !== null)
        throw new Error(`no ${pattern} in:\n${this.stdout}\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A line on its stdin, then its end: a peer that says `holding` goes on. */
  say(line = 'go'): void {
    this.child.stdin!.end(`${line}\n`);
  }

  /** Ends it and what it started (a program under `ferry run`): a test that failed half way leaves nothing running. */
  stop(): void {
    this.child.stdin!.destroy();
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // ended already
    }
  }
}

export const node = (args: string[], cwd?: string) =>
  new Running(spawn(process.execPath, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true }));

export async function ferry(
  args: string[],
  cwd?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = node([FERRY, ...args], cwd);
  const code = await run.exit;
  return { code, stdout: run.stdout, stderr: run.stderr };
}

/** A program under `ferry run`, and its inspector's URL (for `--inspect`: no signal, no shared port). */
export async function startProgram(
  script: string,
  args: string[] = [],
  cwd?: string,
): Promise<{ program: Running; url: string }> {
  const program = node([FERRY, 'run', '--', script, ...args], cwd);
  const [, url] = await program.waitFor(/inspector at (ws:\/\/\S+)/);
  return { program, url };
}

/** Checkpoints with --then stop; returns the checkpoint's manifest. */
export async function checkpointAndStop(url: string, output: string): Promise<StoredManifest> {
  const taken = await ferry(['checkpoint', '--inspect', url, '-o', output, '--then', 'stop']);
  assert.equal(taken.code, 0, taken.stderr);
  return JSON.parse((await ferry(['inspect', output, '--json'])).stdout) as StoredManifest;
}

/**
 * One request line to a holder's socket, written by hand as any process of this user could, and its
 * answer (the first line back, or what came before it hung up).
 */
export function askHolderRaw(holder: ConnectionHolder, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(holder.path, () => socket.write(`${line}\n`));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(text.split('\n')[0]));
  });
}

/** The key a holder wrote beside its socket, for its owner (connections/holder-address.ts). */
export const holderKey = (holder: ConnectionHolder) => readFileSync(holder.path.replace(/\.sock$/, '.key'), 'utf8');

/** What the echo client prints for a whole conversation (with `holding` where it waited). */
export function conversation(lines: number, heldAfter?: number): string {
  const echoes = Array.from({ length: lines }, (_, i) => `${i + 1}: line ${i + 1}\n`);
  if (heldAfter !== undefined) echoes.splice(heldAfter, 0, 'holding\n');
  return `${echoes.join('')}closed\n`;
}

export const inTempDir = async <T>(body: (dir: string) => Promise<T>): Promise<T> => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-live-'));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const liveFixture = (name: string) => join(__dirname, '..', 'live', 'fixtures', name);

/** A server under `ferry run` and its client, each a process of its own. */
export interface ServerAndClient {
  program: Running;
  /** The server's inspector, for `--inspect`. */
  url: string;
  /** The port it listens on (it prints `port N`). */
  port: string;
  client: Running;
}

/** Which server to start (the live fixture unless another is named), with what, where. */
export interface ServerSpec {
  script?: string;
  args?: string[];
  cwd?: string;
}

/** Starts the server, then its client with `clientArgs(port)`; both are stopped once `body` is done. */
async function withServerAndClient<T>(
  server: Required<Pick<ServerSpec, 'script'>> & ServerSpec,
  clientArgs: (port: string) => string[],
  body: (peers: ServerAndClient) => Promise<T>,
): Promise<T> {
  const { program, url } = await startProgram(server.script, server.args, server.cwd);
  try {
    const [, port] = await program.waitFor(/port (\d+)/);
    const client = node(clientArgs(port));
    try {
      return await body({ program, url, port, client });
    } finally {
      client.stop();
    }
  } finally {
    program.stop();
  }
}

/**
 * The echo server (test/live/fixtures/echo-server.js, or `server.script`) and the echo client of
 * `lines` lines, which says `holding` with half of line `heldAfter + 1` sent (see echo-client.js).
 */
export function withEchoConversation<T>(
  lines: number,
  heldAfter: number | undefined,
  server: ServerSpec,
  body: (peers: ServerAndClient) => Promise<T>,
): Promise<T> {
  const held = heldAfter === undefined ? [] : [String(heldAfter)];
  return withServerAndClient(
    { script: liveFixture('echo-server.js'), ...server },
    (port) => [liveFixture('echo-client.js'), port, String(lines), ...held],
    body,
  );
}

/**
 * The HTTP server (test/live/fixtures/http-server.js, or `server.script`) and a keep-alive client
 * of `requests` requests on one connection, which says `holding` after response `holdAt` (0: never).
 */
export function withKeepAliveClient<T>(
  requests: number,
  holdAt: number,
  server: ServerSpec,
  body: (peers: ServerAndClient) => Promise<T>,
): Promise<T> {
  return withServerAndClient(
    { script: liveFixture('http-server.js'), ...server },
    (port) => [liveFixture('keep-alive-client.js'), port, String(requests), String(holdAt)],
    body,
  );
}
