// Builds the program that resumes a captured pause in a fresh node: it declares each live
// frame's function-level bindings in a scope nested like the original closures (a frame whose
// function was created inside another live frame is declared inside that frame's scope, so they
// share variables), evaluates each resume variant there, and chains the variants outermost first.
import { topLevelDeclarations, type CapturedFrame, type CapturedScope, type PauseCapture } from './capture';
import { DECODE, type Encoded } from './values';
import type { Location0, ResumeVariant } from '../../../snapshot/resume/index';

interface ScopeNode {
  /** Live frame index, or undefined for a dead closure scope / the module scope when not live. */
  frame?: number;
  /** Value index of the scope object whose properties are this node's bindings. */
  scope?: number;
  /** Binding names of a dead closure scope (live frames use their variant's bindings). */
  names: string[];
  children: ScopeNode[];
}

const key = (l: Location0 | undefined) => (l ? `${l.line}:${l.column}` : '?');
const isModuleFrame = (f: CapturedFrame) => f.functionLocation.line === 0 && f.functionLocation.column === 0;

export function buildRestoreProgram(capture: PauseCapture, source: string): string {
  const { frames, values } = capture;
  for (const f of frames) if (!f.variant) throw f.refusal ?? new Error('no variant');
  const variant = (k: number) => frames[k].variant as ResumeVariant;
  const names = (index: number | undefined) =>
    index === undefined ? [] : ((values[index] as { props?: Array<[string, Encoded]> }).props ?? []).map(([n]) => n);

  // The module scope: the top frame's local scope if the module frame is live, else a closure.
  const moduleFrame = frames.findIndex(isModuleFrame);
  const moduleScope =
    moduleFrame >= 0
      ? frames[moduleFrame].scopes.find((s) => s.type === 'local')
      : frames.flatMap((f) => f.scopes).find((s) => s.type === 'closure' && key(s.start) === '0:0');
  const root: ScopeNode = {
    frame: moduleFrame >= 0 ? moduleFrame : undefined,
    scope: moduleScope?.value,
    names: names(moduleScope?.value),
    children: [],
  };
  const frameNodes = new Map<number, ScopeNode>();
  if (moduleFrame >= 0) frameNodes.set(moduleFrame, root);
  const localStart = (k: number) => key(frames[k].scopes.find((s) => s.type === 'local')?.start);
  // Outer frames first, so a closure's defining frame has its node when the closure is placed.
  for (let k = frames.length - 1; k >= 0; k--) {
    if (k === moduleFrame) continue;
    let parent = root;
    const closures = frames[k].scopes.filter((s) => s.type === 'closure' && key(s.start) !== '0:0').reverse();
    for (const c of closures) {
      const owner = [...frameNodes.keys()]
        .filter((j) => j > k && localStart(j) === key(c.start))
        .sort((a, b) => a - b)[0];
      if (owner !== undefined) {
        parent = frameNodes.get(owner)!;
        continue;
      }
      const dead: ScopeNode = { scope: c.value, names: names(c.value), children: [] };
      parent.children.push(dead);
      parent = dead;
    }
    const node: ScopeNode = {
      frame: k,
      scope: frames[k].scopes.find((s) => s.type === 'local')?.value,
      names: [],
      children: [],
    };
    parent.children.push(node);
    frameNodes.set(k, node);
  }

  const topDeclarations = topLevelDeclarations(source);

  const valueOf = (scope: number | undefined, name: string) =>
    scope === undefined ? 'undefined' : `$ferryVals[${scope}][${JSON.stringify(name)}]`;
  const encodedOf = (scope: number | undefined, name: string) => {
    const props = scope === undefined ? [] : ((values[scope] as { props?: Array<[string, Encoded]> }).props ?? []);
    return props.find(([n]) => n === name)?.[1];
  };
  const isFunctionValue = (scope: number | undefined, name: string) => encodedOf(scope, name)?.t === 'f';
  const CJS = new Set(['require', 'module', 'exports']);

  // A function with non-simple parameters keeps its body's bindings in a scope of its own,
  // which CDP lists as its outermost block: look a name up in the local scope, then the blocks
  // from the outermost in.
  const scopeOf = (node: ScopeNode, name: string): number | undefined => {
    if (node.frame === undefined || isRoot(node)) return node.scope;
    const all = frames[node.frame].scopes;
    const scopes = [...all.filter((s) => s.type === 'local'), ...all.filter((s) => s.type === 'block').reverse()];
    return scopes.find((s) => encodedOf(s.value, name) !== undefined)?.value ?? node.scope;
  };
  const isRoot = (node: ScopeNode) => node === root;
  const emitBindings = (node: ScopeNode, isRootNode: boolean): string[] => {
    const out: string[] = [];
    const assigns: string[] = [];
    const bindings =
      node.frame !== undefined
        ? variant(node.frame).functionBindings
        : node.names.map((name) => ({
            name,
            kind: topDeclarations.has(name) && isRootNode ? 'function' : 'let',
            declaration: topDeclarations.get(name),
          }));
    for (const b of bindings) {
      if (isRootNode && CJS.has(b.name)) continue; // the restore program's own require/module/exports
      if (
        (b.kind === 'function' || b.kind === 'class') &&
        b.declaration &&
        (b.kind === 'function' || isFunctionValue(scopeOf(node, b.name), b.name))
      ) {
        out.push(b.declaration);
        continue;
      }
      if (b.kind === 'arguments') {
        out.push(`let ${b.name} = $ferryVals[${frames[node.frame!].extras.arguments}];`);
        continue;
      }
      out.push(`let ${b.name};`);
      // A closure made in this scope is re-created here from its source, so it closes over
      // these bindings (and this frame's `this`) rather than over the module scope.
      const scope = scopeOf(node, b.name);
      const encoded = encodedOf(scope, b.name);
      assigns.push(
        `${b.name} = ${!isRootNode && encoded?.t === 'f' && typeof encoded.src === 'string' ? `(${encoded.src})` : valueOf(scope, b.name)};`,
      );
    }
    if (isRootNode)
      out.push('const $ferryMod = (n) => eval(n);', 'const $ferryVals = $ferryDecode($ferryData, $ferryMod);');
    return [...out, ...assigns];
  };

  const emitNode = (node: ScopeNode, isRoot: boolean): string => {
    const lines = emitBindings(node, isRoot);
    if (node.frame !== undefined) {
      const k = node.frame;
      lines.push(`$ferryV[${k}] = ${variant(k).code};`);
      const setter = generatorBinding(frames, k, source);
      if (setter) lines.push(`$ferrySet[${k}] = (v) => { ${setter} = v; };`);
    }
    for (const child of node.children) lines.push(emitNode(child, false));
    if (isRoot) lines.push(emitChain(frames, variant));
    const self = node.frame !== undefined ? `$ferryVals[${frames[node.frame].thisValue}]` : 'undefined';
    return isRoot ? lines.join('\n') : `(function () {\n${lines.join('\n')}\n}).call(${self});`;
  };

  return [
    `const $ferryData = ${JSON.stringify(values)};`,
    DECODE,
    'const $ferryV = [], $ferrySet = [], $ferryF = [], $ferryGen = [];',
    `(function () {\n${emitNode(root, true)}\n}).call(this);`,
  ].join('\n');
}

/** Name of the caller's variable holding the generator whose frame is `k - 1` (`it.next()`). */
function generatorBinding(frames: CapturedFrame[], k: number, source: string): string | undefined {
  const inner = frames[k - 1]?.variant;
  if (!inner || !inner.kind.includes('generator') || frames[k].variant!.needs.pendingNextLoop !== undefined)
    return undefined;
  const at = frames[k].location;
  return /([A-Za-z_$][\w$]*)\s*\.\s*$/.exec(source.split('\n')[at.line].slice(0, at.column))?.[1];
}

function emitChain(frames: CapturedFrame[], variant: (k: number) => ResumeVariant): string {
  const lines: string[] = [];
  const val = (i: number | undefined) => (i === undefined ? 'undefined' : `$ferryVals[${i}]`);
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k];
    const v = variant(k);
    const used = new Set<CapturedScope>();
    const blocks = v.blocks.map((slot) => {
      // The slot's own scope starts closest to the slot's start (nested blocks start later).
      const scope = f.scopes
        .filter(
          (s) =>
            !used.has(s) &&
            (s.type === 'block' || s.type === 'catch') &&
            s.start &&
            within(s.start, slot.start, slot.end),
        )
        .sort((a, b) => compare(a.start!, b.start!))[0];
      if (scope) used.add(scope);
      return scope ? val(scope.value) : '{}';
    });
    const member = v.classMember?.className;
    const parts = [
      `blocks: [${blocks.join(', ')}]`,
      `loops: [${f.extras.loops.map(val).join(', ')}]`,
      k > 0 ? `inner: () => $ferryRun(${k - 1})` : '',
      f.extras.nativeIndex !== undefined ? `native: { index: ${val(f.extras.nativeIndex)} }` : '',
      f.extras.newTarget !== undefined ? `newTarget: ${val(f.extras.newTarget)}` : '',
      v.needs.home && member
        ? `home: ${v.classMember!.isStatic ? `$ferryMod(${JSON.stringify(member)})` : `$ferryMod(${JSON.stringify(member)}).prototype`}`
        : '',
      v.needs.superConstructor && member
        ? `superConstructor: Object.getPrototypeOf($ferryMod(${JSON.stringify(member)}))`
        : '',
    ].filter(Boolean);
    lines.push(`$ferryF[${k}] = { ${parts.join(', ')} };`);
  }
  lines.push(`const $ferryThis = [${frames.map((f) => val(f.thisValue)).join(', ')}];`);
  // Generators run by an outer frame are created first: the caller's variable (or its for-of
  // loop) must hold the resumed generator before the caller's variant starts.
  for (let k = 0; k < frames.length; k++) {
    if (!variant(k).kind.includes('generator')) continue;
    lines.push(`$ferryGen[${k}] = $ferryV[${k}].call($ferryThis[${k}], $ferryF[${k}]);`);
    const caller = k + 1 < frames.length ? variant(k + 1) : undefined;
    if (caller?.needs.pendingNextLoop !== undefined)
      lines.push(`$ferryF[${k + 1}].loops[${caller.needs.pendingNextLoop}] = $ferryGen[${k}];`);
    lines.push(`if ($ferrySet[${k + 1}]) $ferrySet[${k + 1}]($ferryGen[${k}]);`);
  }
  lines.push(
    'function $ferryRun(k) { return $ferryGen[k] ? $ferryGen[k].next() : $ferryV[k].call($ferryThis[k], $ferryF[k]); }',
  );
  lines.push(`$ferryRun(${frames.length - 1});`);
  return lines.join('\n');
}

const compare = (a: Location0, b: Location0) => a.line - b.line || a.column - b.column;

function within(p: Location0, start: Location0, end: Location0): boolean {
  return compare(p, start) >= 0 && compare(p, end) <= 0;
}
