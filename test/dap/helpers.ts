// Shared setup for the DAP tests: a DebugClient on the built adapter (dist/adapter.js, so run
// `npm run build` first) and the fixture programs under fixtures/, whose lines are found by markers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ADAPTER = resolve(__dirname, '../../dist/adapter.js');
export const FIXTURES = join(__dirname, 'fixtures');
// Generous: the suite shares two cores with the rest of the repository's tests.
const TIMEOUT_MS = 20_000;

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** The 1-based line of `file` that carries the comment `// @marker`. */
export function lineOf(file: string, marker: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(`// @${marker}`));
  if (index < 0) throw new Error(`no // @${marker} in ${file}`);
  return index + 1;
}

type ReverseHandler = (request: DebugProtocol.Request) => Promise<unknown>;

/** A DebugClient that also answers reverse requests (runInTerminal), which DebugClient ignores. */
export class TestClient extends DebugClient {
  reverseRequests: DebugProtocol.Request[] = [];
  onReverseRequest?: ReverseHandler;
  // Stopped events are queued so that none is missed between a request and the wait for its pause.
  private readonly stops: DebugProtocol.StoppedEvent[] = [];
  private stopWaiter?: () => void;

  constructor() {
    super('node', ADAPTER, 'ferry', undefined, Boolean(process.env.FERRY_TEST_ADAPTER_STDERR)); // set it to see the adapter's stderr
    this.defaultTimeout = TIMEOUT_MS;
    this.on('stopped', (event: DebugProtocol.StoppedEvent) => {
      this.stops.push(event);
      this.stopWaiter?.();
    });
    const internals = this as unknown as { dispatch(body: string): void; outputStream: Writable };
    const dispatch = internals.dispatch.bind(this);
    internals.dispatch = (body: string) => {
      const message = JSON.parse(body) as DebugProtocol.ProtocolMessage;
      if (message.type !== 'request') return dispatch(body);
      const request = message as DebugProtocol.Request;
      this.reverseRequests.push(request);
      void (this.onReverseRequest?.(request) ?? Promise.reject(new Error('no handler'))).then(
        (responseBody) => reply(true, responseBody),
        (error: Error) => reply(false, undefined, error.message),
      );
      function reply(success: boolean, responseBody: unknown, errorMessage?: string): void {
        const response = {
          type: 'response',
          seq: 0,
          request_seq: request.seq,
          command: request.command,
          success,
          body: responseBody,
          message: errorMessage,
        };
        const json = JSON.stringify(response);
        internals.outputStream.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`);
      }
    };
  }

  /** Launches `program` (fixture-relative) with breakpoints at `lines` set before it runs. */
  async launchWith(
    args: Record<string, unknown>,
    breakpoints: Record<string, DebugProtocol.SourceBreakpoint[]> = {},
  ): Promise<void> {
    await this.initializeRequest();
    await Promise.all([this.configure(breakpoints), this.launchRequest(args as DebugProtocol.LaunchRequestArguments)]);
  }

  async attachWith(
    args: Record<string, unknown>,
    breakpoints: Record<string, DebugProtocol.SourceBreakpoint[]> = {},
  ): Promise<void> {
    await this.initializeRequest();
    await Promise.all([this.configure(breakpoints), this.attachRequest(args as DebugProtocol.AttachRequestArguments)]);
  }

  private async configure(breakpoints: Record<string, DebugProtocol.SourceBreakpoint[]>): Promise<void> {
    await this.waitForEvent('initialized');
    for (const [path, list] of Object.entries(breakpoints))
      await this.setBreakpointsRequest({ source: { path }, breakpoints: list });
    await this.configurationDoneRequest();
  }

  /** Waits for the next `stopped` event and returns it with the top stack frame. */
  async stopped(): Promise<{
    event: DebugProtocol.StoppedEvent;
    top: DebugProtocol.StackFrame;
    frames: DebugProtocol.StackFrame[];
  }> {
    const event = this.stops.shift() ?? (await this.nextStop());
    const { body } = await this.stackTraceRequest({ threadId: event.body.threadId ?? 1 });
    return { event, top: body.stackFrames[0], frames: body.stackFrames };
  }

  private nextStop(): Promise<DebugProtocol.StoppedEvent> {
    return new Promise((resolveStop, reject) => {
      const timer = setTimeout(() => reject(new Error(`no stopped event within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      this.stopWaiter = () => {
        clearTimeout(timer);
        this.stopWaiter = undefined;
        resolveStop(this.stops.shift()!);
      };
    });
  }

  /** The variables of `reference` as a name -> variable map. */
  async variablesOf(
    reference: number,
    extra: Partial<DebugProtocol.VariablesArguments> = {},
  ): Promise<Map<string, DebugProtocol.Variable>> {
    const { body } = await this.variablesRequest({ variablesReference: reference, ...extra });
    return new Map(body.variables.map((v) => [v.name, v]));
  }

  /** The variables of the innermost scope of frame `frameId`. */
  async locals(frameId: number): Promise<Map<string, DebugProtocol.Variable>> {
    const { body } = await this.scopesRequest({ frameId });
    return this.variablesOf(body.scopes[0].variablesReference);
  }

  /** The latest state of each breakpoint the adapter reported with `breakpoint` events, by id. */
  breakpointUpdates(): Map<number, DebugProtocol.Breakpoint> {
    const updates = new Map<number, DebugProtocol.Breakpoint>();
    this.on('breakpoint', (event: DebugProtocol.BreakpointEvent) =>
      updates.set(event.body.breakpoint.id!, event.body.breakpoint),
    );
    return updates;
  }

  /** Collects output events (category, text) until the session terminates. */
  collectOutput(): Array<DebugProtocol.OutputEvent['body']> {
    const output: Array<DebugProtocol.OutputEvent['body']> = [];
    this.on('output', (event: DebugProtocol.OutputEvent) => output.push(event.body));
    return output;
  }
}

/** A fresh directory under the system's temp directory, removed when the test ends. */
export function tempDir(t: { after(fn: () => Promise<void> | void): void }, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A started client, stopped (adapter and debuggee) when the test ends. */
export async function startClient(t: { after(fn: () => Promise<void>): void }): Promise<TestClient> {
  const client = new TestClient();
  await client.start();
  t.after(() => client.stop());
  return client;
}

/** Starts `node ...args` outside the adapter; killed when the test ends. */
export function spawnNode(t: { after(fn: () => Promise<void> | void): void }, ...args: string[]): ChildProcess {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Resolves with the inspector URL a `--inspect=127.0.0.1:0` process prints on stderr. */
export function inspectorUrlOf(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /Debugger listening on (ws:\/\/\S+)/.exec(text);
      if (match) resolveUrl(match[1]);
    });
    child.once('exit', () => reject(new Error(`exited before opening its inspector: ${text}`)));
  });
}
