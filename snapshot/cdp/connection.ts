// A typed CDP connection to one V8 inspector target. The only module that talks to
// chrome-remote-interface; capture, the CLI and the debug adapter all go through it.
import CDP from 'chrome-remote-interface';
import { get as httpGet } from 'node:http';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';
import { FerryError } from '../errors';

export type CdpCommand = keyof ProtocolMapping.Commands;
export type CdpParams<M extends CdpCommand> = ProtocolMapping.Commands[M]['paramsType'][0];
export type CdpResult<M extends CdpCommand> = ProtocolMapping.Commands[M]['returnType'];
export type CdpEvent = keyof ProtocolMapping.Events;
export type CdpEventParams<E extends CdpEvent> = ProtocolMapping.Events[E][0];

export class CdpError extends FerryError {
  readonly kind = 'internal';
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    message: string,
  ) {
    super(`${method}: ${message}`);
  }
}

/** V8's words for "the JS context is gone": the program ended (or is ending) under us. */
export function isContextGone(error: unknown): boolean {
  return (
    error instanceof CdpError &&
    /Cannot find context with specified id|Execution context was destroyed/.test(error.message)
  );
}

/** The cheapest command an inspector answers: no events, nothing compiled (see `acknowledge`). */
const NO_OP = 'Runtime.getHeapUsage';
/**
 * One in flight would leave the event after it unacknowledged until its answer came back, and the
 * inspector's next message waiting for that ACK (40 ms); a few keep a burst flowing.
 */
const MAX_NO_OPS_IN_FLIGHT = 4;
/**
 * Past those, a busy target (its main thread in a long command, the capture agent's) answers none:
 * what comes in meanwhile (a script compiled by each of the agent's inspector reads: 20-130 of them)
 * is acknowledged by one more no-op this much later, so that the answer to come never waits for the
 * kernel's 40 ms. At most one no-op per this many ms of such a wait.
 */
const ACK_LATER_MS = 4;

export class CdpConnection {
  private closed = false;
  private readonly closeHandlers: Array<() => void> = [];
  /** Commands of ours sent and not yet answered (no-ops aside). */
  private unanswered = 0;
  /** Counts commands sent, answers and events: a no-op's answer asks for another only if something happened meanwhile. */
  private traffic = 0;
  /**
   * No-ops sent and not yet answered. A few at most: each acknowledges everything that came before
   * it, and a burst of events (thousands of scripts compiled during a capture) must not pile up
   * thousands of them (the client scans its pending commands at every answer).
   */
  private noOpsInFlight = 0;
  /** The no-op that acknowledges, a little later, what a busy target sent past MAX_NO_OPS_IN_FLIGHT. */
  private ackLater: NodeJS.Timeout | undefined;
  /** Set by `detach`: no command of ours goes out any more. */
  private detaching = false;
  /** Called when the last unanswered command of ours is answered (what `detach` waits for). */
  private onAllAnswered?: () => void;

  private constructor(
    private readonly client: CDP.Client,
    readonly webSocketUrl: string,
  ) {
    client.on('disconnect', () => {
      this.closed = true;
      for (const handler of this.closeHandlers) handler();
    });
    client.on('event', () => {
      this.traffic++;
      this.acknowledge();
    });
  }

  /**
   * Node's inspector writes each message on its own with Nagle's algorithm on: one written while
   * the one before is unacknowledged waits for our ACK, which the kernel delays by 40 ms. So does
   * every answer that follows an event (V8 reports each script it compiles: every evaluate is an
   * event, then its answer). A message of ours carries the ACK at once: while a command waits, each
   * message that comes in is answered by a no-op, a few at a time (a no-op's answer sends the next
   * unless nothing else came or went since it was sent: a long wait is no busy loop), and past
   * those by one more ACK_LATER_MS later.
   */
  private acknowledge(): void {
    if (this.unanswered === 0 || this.closed) return;
    if (this.noOpsInFlight < MAX_NO_OPS_IN_FLIGHT) this.sendNoOp();
    else
      this.ackLater ??= setTimeout(() => {
        this.ackLater = undefined;
        if (this.unanswered > 0 && !this.closed) this.sendNoOp();
      }, ACK_LATER_MS);
  }

  private sendNoOp(): void {
    this.noOpsInFlight++;
    const sentAt = this.traffic;
    this.client.send(NO_OP as never).then(
      () => {
        this.noOpsInFlight--;
        if (this.traffic !== sentAt) this.acknowledge();
      },
      () => this.noOpsInFlight--,
    );
  }

  /** Connects to a ws:// URL, or to the first target listening at host:port. */
  static async connect(target: string | { host: string; port: number }): Promise<CdpConnection> {
    const wsUrl = typeof target === 'string' && target.startsWith('ws') ? target : await resolveWebSocketUrl(target);
    const client = await CDP({ target: wsUrl, local: true });
    return new CdpConnection(client, wsUrl);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async send<M extends CdpCommand>(method: M, params?: CdpParams<M>): Promise<CdpResult<M>> {
    if (this.closed) throw new CdpError(method, undefined, 'the target is gone (inspector connection closed)');
    if (this.detaching) throw new CdpError(method, undefined, 'Ferry is letting go of the target');
    this.unanswered++;
    this.traffic++;
    try {
      return (await this.client.send(method as never, params as never)) as CdpResult<M>;
    } catch (error) {
      const e = error as { response?: { code?: number; message?: string }; message?: string };
      throw new CdpError(method, e.response?.code, e.response?.message ?? e.message ?? String(error));
    } finally {
      this.unanswered--;
      this.traffic++;
      this.acknowledge();
      if (this.unanswered === 0) this.onAllAnswered?.();
    }
  }

  /**
   * Lets go of the target leaving it nothing to write to us: waits for the answers to our commands,
   * turns the domains off (no event follows, and a paused program goes on), then closes; all within
   * `withinMs`, after which it closes anyway (a program busy in synchronous code answers nothing).
   * Node 20's inspector can crash writing to a connection whose peer is gone (nodejs/node#64209),
   * which a Ferry ending mid-capture would otherwise leave it doing.
   */
  async detach(withinMs: number): Promise<void> {
    if (this.closed) return;
    this.detaching = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)));
    const allAnswered = new Promise<void>((resolve) => {
      this.onAllAnswered = resolve;
      if (this.unanswered === 0) resolve();
    });
    const quiet = allAnswered.then(async () => {
      for (const method of ['Debugger.disable', 'Runtime.disable'])
        await this.client.send(method as never).catch(() => undefined);
    });
    await Promise.race([quiet, deadline]);
    clearTimeout(timer);
    await this.close();
  }

  on<E extends CdpEvent>(event: E, handler: (params: CdpEventParams<E>) => void): () => void {
    const listener = handler as (params: unknown) => void;
    this.client.on(event as never, listener as never);
    // The client is an EventEmitter at run time; its typings omit removeListener.
    return () => (this.client as unknown as NodeJS.EventEmitter).removeListener(event, listener);
  }

  /** Resolves with the next event of this kind (optionally the first that matches). */
  once<E extends CdpEvent>(
    event: E,
    match?: (params: CdpEventParams<E>) => boolean,
    timeoutMs = 0,
  ): Promise<CdpEventParams<E>> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const off = this.on(event, (params) => {
        if (match && !match(params)) return;
        off();
        if (timer) clearTimeout(timer);
        resolve(params);
      });
      if (timeoutMs > 0)
        timer = setTimeout(() => {
          off();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${event}`));
        }, timeoutMs);
    });
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close().catch(() => undefined);
  }
}

async function resolveWebSocketUrl(target: string | { host: string; port: number }): Promise<string> {
  const { host, port } = typeof target === 'string' ? parseHostPort(target) : target;
  const first = (await listTargets({ host, port })).find((t) => t.webSocketDebuggerUrl);
  if (!first) throw new Error(`no inspector target at ${host}:${port}`);
  return first.webSocketDebuggerUrl;
}

/**
 * The inspector's /json/list at host:port. Unlike CDP.List (which throws an uncatchable error
 * when the port answers with something other than JSON), any failure rejects the promise.
 */
export async function listTargets(
  at: { host: string; port: number },
  timeoutMs = 5000,
): Promise<Array<{ webSocketDebuggerUrl: string }>> {
  const text = await getOnce(at, '/json/list', timeoutMs);
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new Error(`${at.host}:${at.port} is not a Node inspector (its /json/list is not JSON)`);
  }
  if (!Array.isArray(list))
    throw new Error(`${at.host}:${at.port} is not a Node inspector (its /json/list is not a list)`);
  return list as Array<{ webSocketDebuggerUrl: string }>;
}

export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:\[?([^\]]*)\]?:)?(\d+)$/.exec(text);
  if (!match) throw new Error(`expected HOST:PORT or PORT, got "${text}"`);
  return { host: match[1] || '127.0.0.1', port: Number(match[2]) };
}

/**
 * One GET on its own connection, closed after the answer: the port may be the program's own HTTP
 * server (a port is probed before it is known to be an inspector), which must not be left holding
 * a keep-alive connection (a checkpoint waits for open connections to end).
 */
function getOnce(at: { host: string; port: number }, path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpGet(
      { host: at.host, port: at.port, path, agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`${at.host}:${at.port} did not answer within ${timeoutMs} ms`)),
    );
    request.on('error', reject);
  });
}
