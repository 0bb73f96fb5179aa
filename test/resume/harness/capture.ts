// Runs a corpus program under the inspector, pauses at FILE:LINE breakpoints on chosen hits,
// and captures at each pause what the restore program needs: every user frame's location,
// its resume variant (or the refusal), and the values of its scopes, `this` and extras.
import { resolve } from 'node:path';
import type { Protocol } from 'devtools-protocol';
import { CdpConnection } from '../../../snapshot/cdp/connection';
import { launchWithInspector, stripInspectorNoise } from '../../../snapshot/target/launch';
import {
  generateResumeVariant,
  nativeCallbackAt,
  remainingArrayItems,
  remainingForInKeys,
  ResumeRefusal,
  type Location0,
  type ResumeVariant,
} from '../../../snapshot/resume/index';
import { parse } from 'acorn';
import { ENCODE, type Encoded } from './values';

export interface PausePoint {
  /** 1-based line, as written in the corpus file's `// @bp` marker. */
  line: number;
  hit: number;
}

export interface CapturedScope {
  type: string;
  start?: Location0;
  end?: Location0;
  value: number;
}

export interface CapturedFrame {
  functionName: string;
  location: Location0;
  functionLocation: Location0;
  variant?: ResumeVariant;
  refusal?: ResumeRefusal;
  nativeCallback?: string;
  scopes: CapturedScope[];
  thisValue: number;
  /** Value indices of `arguments`, `new.target`, loop remainders and the native callback index. */
  extras: { arguments?: number; newTarget?: number; loops: number[]; nativeIndex?: number };
}

export interface PauseCapture {
  point: PausePoint;
  stdoutBytes: number;
  frames: CapturedFrame[];
  values: Encoded[];
}

export interface RunCapture {
  stdout: Buffer;
  stderr: string;
  exitCode: number | null;
  pauses: PauseCapture[];
}

const PRELOAD = resolve(__dirname, 'preload.cjs');
const loc = (l: Protocol.Debugger.Location | undefined): Location0 | undefined =>
  l ? { line: l.lineNumber, column: l.columnNumber ?? 0 } : undefined;

export async function captureRun(program: string, source: string, points: PausePoint[]): Promise<RunCapture> {
  const target = await launchWithInspector({
    program,
    breakOnStart: true,
    stdio: 'pipe',
    runtimeArgs: ['--require', PRELOAD],
  });
  const stdout: Buffer[] = [];
  let stderr = '';
  target.child.stdout!.on('data', (c: Buffer) => stdout.push(c));
  const exited = new Promise<number | null>((r) => target.child.once('exit', (code) => r(code)));
  const cdp = await CdpConnection.connect(target.webSocketUrl);
  // With a session attached, node holds the finished program until the debugger leaves.
  target.child.stderr!.on('data', (c: Buffer) => {
    const text = stripInspectorNoise(c.toString()).replace(/^Debugger ending on .*\n+/m, '');
    stderr += text;
    if (c.toString().includes('Waiting for the debugger to disconnect')) void cdp.close();
  });
  const url = `file://${program}`;
  const pauses: PauseCapture[] = [];
  const byBreakpoint = new Map<string, { line: number; hits: Set<number>; count: number }>();
  let failure: unknown;
  const scriptIds = new Set<string>();
  cdp.on('Debugger.scriptParsed', (e) => {
    if (e.url === url) scriptIds.add(e.scriptId);
  });
  cdp.on('Debugger.paused', (event) => {
    void (async () => {
      for (const id of event.hitBreakpoints ?? []) {
        const bp = byBreakpoint.get(id);
        if (!bp) continue;
        bp.count++;
        if (bp.hits.has(bp.count))
          pauses.push(await capturePause(cdp, event, scriptIds, url, source, { line: bp.line, hit: bp.count }));
      }
    })()
      .catch((e) => {
        failure ??= e;
      })
      .finally(() => {
        void cdp.send('Debugger.resume').catch(() => undefined);
      });
  });
  await cdp.send('Runtime.enable');
  await cdp.send('Debugger.enable');
  const lines = new Map<number, Set<number>>();
  for (const p of points) lines.set(p.line, (lines.get(p.line) ?? new Set()).add(p.hit));
  for (const [line, hits] of lines) {
    const { breakpointId } = await cdp.send('Debugger.setBreakpointByUrl', { url, lineNumber: line - 1 });
    byBreakpoint.set(breakpointId, { line, hits, count: 0 });
  }
  await cdp.send('Runtime.runIfWaitingForDebugger');
  const exitCode = await exited;
  await cdp.close();
  if (failure) throw failure;
  return { stdout: Buffer.concat(stdout), stderr, exitCode, pauses };
}

async function capturePause(
  cdp: CdpConnection,
  event: Protocol.Debugger.PausedEvent,
  scriptIds: Set<string>,
  url: string,
  source: string,
  point: PausePoint,
): Promise<PauseCapture> {
  const userFrames = event.callFrames.filter((f) => scriptIds.has(f.location.scriptId));
  const objects: Protocol.Runtime.CallArgument[] = [];
  const add = (o: Protocol.Runtime.RemoteObject): number =>
    objects.push(
      o.objectId
        ? { objectId: o.objectId }
        : o.unserializableValue
          ? { unserializableValue: o.unserializableValue }
          : { value: o.value },
    ) - 1;
  const evaluate = async (frame: Protocol.Debugger.CallFrame, expression: string) => {
    const r = await cdp.send('Debugger.evaluateOnCallFrame', {
      callFrameId: frame.callFrameId,
      expression,
      silent: true,
    });
    if (r.exceptionDetails)
      throw new Error(
        `evaluating ${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`,
      );
    return r.result;
  };
  const frames: CapturedFrame[] = [];
  let moduleScope: Protocol.Runtime.RemoteObject | undefined;
  for (let k = 0; k < userFrames.length; k++) {
    const f = userFrames[k];
    const location = loc(f.location)!;
    const nativeCallback =
      k > 0 ? nativeCallbackAt(source, location, userFrames[k - 1].functionName)?.method : undefined;
    const captured: CapturedFrame = {
      functionName: f.functionName,
      location,
      functionLocation: loc(f.functionLocation)!,
      nativeCallback,
      scopes: [],
      thisValue: add(f.this),
      extras: { loops: [] },
    };
    try {
      captured.variant = generateResumeVariant({
        source,
        location,
        role: k === 0 ? 'innermost' : 'caller',
        nativeCallback,
        url,
        functionName: f.functionName,
        frameIndex: k,
      });
    } catch (error) {
      if (!(error instanceof ResumeRefusal)) throw error;
      captured.refusal = error;
    }
    for (const s of f.scopeChain) {
      if (s.type === 'global') continue;
      captured.scopes.push({
        type: s.type,
        start: loc(s.startLocation),
        end: loc(s.endLocation),
        value: add(s.object),
      });
      if (
        (s.type === 'local' && captured.functionLocation.line === 0 && captured.functionLocation.column === 0) ||
        (s.type === 'closure' && s.startLocation?.lineNumber === 0 && s.startLocation.columnNumber === 0)
      )
        moduleScope ??= s.object;
    }
    const v = captured.variant;
    if (v) {
      if (v.functionBindings.some((b) => b.kind === 'arguments'))
        captured.extras.arguments = add(await evaluate(f, 'arguments'));
      if (v.needs.newTarget) captured.extras.newTarget = add(await evaluate(f, 'new.target'));
      for (const [i, l] of v.loops.entries()) {
        // The loop whose next() is pending gets the resumed generator itself (restore program).
        if (i === v.needs.pendingNextLoop) {
          captured.extras.loops.push(add({ type: 'undefined' }));
          continue;
        }
        const left = l.left.replace(/^(const|let|var)\s+/, '');
        const helper = l.kind === 'for-in' ? remainingForInKeys : remainingArrayItems;
        captured.extras.loops.push(add(await evaluate(f, `(${helper.toString()})(${l.right}, ${left})`)));
      }
      if (v.needs.nativeIndexArgument !== undefined) {
        const inner = frames[k - 1].variant;
        const param = inner?.functionBindings.filter((b) => b.kind === 'param')[v.needs.nativeIndexArgument];
        if (!param) throw new Error(`the callback of ${nativeCallback} does not name its index parameter`);
        captured.extras.nativeIndex = add(await evaluate(userFrames[k - 1], param.name));
      }
    }
    frames.push(captured);
  }
  const bytes = await evaluate(userFrames[0], 'globalThis.__ferryStdoutBytes');
  const encoded = await cdp.send('Runtime.callFunctionOn', {
    functionDeclaration: ENCODE,
    objectId: userFrames[0].scopeChain[0].object.objectId,
    arguments: [
      moduleScope?.objectId ? { objectId: moduleScope.objectId } : { value: null },
      { value: [...topLevelDeclarations(source).keys()] },
      ...objects,
    ],
    returnByValue: true,
  });
  if (encoded.exceptionDetails) throw new Error(`encoding values: ${encoded.exceptionDetails.exception?.description}`);
  return { point, stdoutBytes: bytes.value as number, frames, values: encoded.result.value as Encoded[] };
}

/** Names of the program's top-level function and class declarations. */
export function topLevelDeclarations(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of parse(source, { ecmaVersion: 'latest', allowReturnOutsideFunction: true, allowHashBang: true })
    .body) {
    if ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id)
      out.set(s.id.name, source.slice(s.start, s.end));
  }
  return out;
}
