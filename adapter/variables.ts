// DAP scopes and variables over CDP remote objects: variable references, previews, paging, lazy
// getters, internal slots ([[Prototype]], [[Entries]], [[PromiseState]]) and private fields.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import type { CdpConnection } from '../snapshot/cdp/connection';

type RemoteObject = Protocol.Runtime.RemoteObject;

/** Object group for every remote object the adapter asks for; released when the target resumes. */
export const OBJECT_GROUP = 'ferry-adapter';

type Container =
  | { kind: 'scope'; objectId: string; callFrameId: string; scopeNumber: number; extras: Array<[string, RemoteObject]> }
  | { kind: 'object'; objectId: string; evaluateName?: string }
  | { kind: 'getter'; objectId: string; name: string; evaluateName?: string };

// Runs in the target: the items [start, start + count) of an array-like, keyed by their index.
const SLICE = `function (start, count) {
  const out = {};
  for (let i = start, end = Math.min(this.length, start + count); i < end; i++) out[i] = this[i];
  return out;
}`;
const READ_PROPERTY = 'function (name) { return this[name]; }';
const WRITE_PROPERTY = 'function (name, value) { this[name] = value; return this[name]; }';

// Objects whose V8 description says it all (a preview would repeat it).
const DESCRIBED_BY_V8 = new Set(['error', 'date', 'regexp', 'internal#entry']);

const SCOPE_NAMES: Record<Protocol.Debugger.Scope['type'], string> = {
  local: 'Local',
  closure: 'Closure',
  block: 'Block',
  catch: 'Catch',
  with: 'With',
  script: 'Script',
  module: 'Module',
  global: 'Global',
  eval: 'Eval',
  'wasm-expression-stack': 'Wasm Stack',
};

export class Variables {
  private readonly containers = new Map<number, Container>();
  private nextReference = 1;

  constructor(private readonly cdp: CdpConnection) {}

  /** Forgets every reference; called when the target resumes (the client drops them too). */
  async release(): Promise<void> {
    this.containers.clear();
    if (!this.cdp.isClosed)
      await this.cdp.send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }).catch(() => undefined);
  }

  scopes(frame: Protocol.Debugger.CallFrame): DebugProtocol.Scope[] {
    return frame.scopeChain.map((scope, scopeNumber) => {
      const extras: Array<[string, RemoteObject]> = [];
      if (scopeNumber === 0) {
        if (frame.returnValue) extras.push(['Return value', frame.returnValue]);
        if (frame.this.type !== 'undefined') extras.push(['this', frame.this]);
      }
      const name = SCOPE_NAMES[scope.type] + (scope.name ? ` (${scope.name})` : '');
      return {
        name,
        presentationHint: scope.type === 'local' ? 'locals' : undefined,
        variablesReference: this.add({
          kind: 'scope',
          objectId: scope.object.objectId!,
          callFrameId: frame.callFrameId,
          scopeNumber,
          extras,
        }),
        expensive: scope.type === 'global',
      };
    });
  }

  async children(
    reference: number,
    filter?: 'indexed' | 'named',
    start = 0,
    count?: number,
  ): Promise<DebugProtocol.Variable[]> {
    const container = this.get(reference);
    if (container.kind === 'getter') {
      const read = await this.cdp.send('Runtime.callFunctionOn', {
        objectId: container.objectId,
        functionDeclaration: READ_PROPERTY,
        arguments: [{ value: container.name }],
        objectGroup: OBJECT_GROUP,
        generatePreview: true,
      });
      return [this.toVariable(container.name, read.exceptionDetails?.exception ?? read.result, container.evaluateName)];
    }
    const parentName = container.kind === 'object' ? container.evaluateName : undefined;
    if (filter === 'indexed')
      return this.indexed(container.objectId, start, count ?? Number.MAX_SAFE_INTEGER, parentName);
    const { result, internalProperties, privateProperties } = await this.cdp.send('Runtime.getProperties', {
      objectId: container.objectId,
      ownProperties: true,
      generatePreview: true,
      nonIndexedPropertiesOnly: filter === 'named',
    });
    const variables: DebugProtocol.Variable[] =
      container.kind === 'scope' ? container.extras.map(([name, value]) => this.toVariable(name, value)) : [];
    for (const property of result) {
      const evaluateName = container.kind === 'scope' ? property.name : childEvaluateName(parentName, property.name);
      if (property.value) variables.push(this.toVariable(property.name, property.value, evaluateName));
      else if (property.get && property.get.type === 'function')
        variables.push(this.lazy(container.objectId, property.name, evaluateName));
      else if (property.set) variables.push({ name: property.name, value: '(setter only)', variablesReference: 0 });
    }
    for (const property of privateProperties ?? []) {
      if (property.value) variables.push(this.toVariable(property.name, property.value));
    }
    for (const property of internalProperties ?? []) {
      if (property.value) variables.push(this.toVariable(property.name, property.value));
    }
    return variables;
  }

  toVariable(name: string, value: RemoteObject, evaluateName?: string): DebugProtocol.Variable {
    const variable: DebugProtocol.Variable = {
      name,
      value: renderValue(value),
      type: value.className ?? value.subtype ?? value.type,
      evaluateName,
      variablesReference: 0,
    };
    if ((value.objectId && value.type === 'object' && value.subtype !== 'null') || value.type === 'function') {
      variable.variablesReference = this.add({ kind: 'object', objectId: value.objectId!, evaluateName });
      const length = indexedLength(value);
      if (length !== undefined) variable.indexedVariables = length;
    }
    return variable;
  }

  /** Assigns `value` to `name` in the scope or object `reference` refers to. */
  async set(reference: number, name: string, value: RemoteObject): Promise<DebugProtocol.Variable> {
    const container = this.get(reference);
    const argument = toCallArgument(value);
    if (container.kind === 'scope') {
      await this.cdp.send('Debugger.setVariableValue', {
        callFrameId: container.callFrameId,
        scopeNumber: container.scopeNumber,
        variableName: name,
        newValue: argument,
      });
      return this.toVariable(name, value, name);
    }
    if (container.kind === 'getter') throw new Error('a getter result cannot be assigned to');
    const written = await this.cdp.send('Runtime.callFunctionOn', {
      objectId: container.objectId,
      functionDeclaration: WRITE_PROPERTY,
      arguments: [{ value: name }, argument],
      objectGroup: OBJECT_GROUP,
      generatePreview: true,
    });
    if (written.exceptionDetails) throw new Error(renderValue(written.exceptionDetails.exception ?? written.result));
    return this.toVariable(name, written.result, childEvaluateName(container.evaluateName, name));
  }

  private async indexed(
    objectId: string,
    start: number,
    count: number,
    parentName?: string,
  ): Promise<DebugProtocol.Variable[]> {
    const slice = await this.cdp.send('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: SLICE,
      arguments: [{ value: start }, { value: Math.min(count, 2 ** 31 - 1) }],
      objectGroup: OBJECT_GROUP,
    });
    if (!slice.result.objectId) return [];
    const { result } = await this.cdp.send('Runtime.getProperties', {
      objectId: slice.result.objectId,
      ownProperties: true,
      generatePreview: true,
    });
    return result
      .filter((p) => p.value)
      .map((p) => this.toVariable(p.name, p.value!, childEvaluateName(parentName, p.name)));
  }

  // Getters run code, so they are evaluated only when the user expands them (DAP `lazy`).
  private lazy(objectId: string, name: string, evaluateName?: string): DebugProtocol.Variable {
    return {
      name,
      value: '(...)',
      evaluateName,
      presentationHint: { lazy: true },
      variablesReference: this.add({ kind: 'getter', objectId, name, evaluateName }),
    };
  }

  private add(container: Container): number {
    const reference = this.nextReference++;
    this.containers.set(reference, container);
    return reference;
  }

  private get(reference: number): Container {
    const container = this.containers.get(reference);
    if (!container) throw new Error('this value is no longer available (the program continued)');
    return container;
  }
}

/** Arrays, typed arrays and [[Entries]] page their items; the length is in V8's description. */
function indexedLength(value: RemoteObject): number | undefined {
  if (value.subtype !== 'array' && value.subtype !== 'typedarray') return undefined;
  const match = /\((\d+)\)$/.exec(value.description ?? '');
  return match ? Number(match[1]) : undefined;
}

function childEvaluateName(parent: string | undefined, name: string): string | undefined {
  if (parent === undefined || name.startsWith('[[')) return undefined;
  if (/^\d+$/.test(name)) return `${parent}[${name}]`;
  if (/^[A-Za-z_$#][\w$]*$/.test(name)) return `${parent}.${name}`;
  return `${parent}[${JSON.stringify(name)}]`;
}

function toCallArgument(value: RemoteObject): Protocol.Runtime.CallArgument {
  if (value.objectId) return { objectId: value.objectId };
  if (value.unserializableValue) return { unserializableValue: value.unserializableValue };
  return { value: value.value };
}

/** One-line text for a value, with a preview of objects' first properties or entries. */
export function renderValue(value: RemoteObject): string {
  switch (value.type) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return JSON.stringify(value.value);
    case 'function':
      return `ƒ ${firstLine(value.description ?? 'anonymous')}`;
    case 'object':
      if (value.subtype === 'null') return 'null';
      return value.preview ? renderPreview(value.preview) : (value.description ?? value.className ?? 'Object');
    default:
      return value.description ?? String(value.value ?? value.unserializableValue);
  }
}

function renderPreview(preview: Protocol.Runtime.ObjectPreview): string {
  const more = preview.overflow ? ', …' : '';
  const description = preview.description ?? '';
  if (preview.subtype === 'array' || preview.subtype === 'typedarray') {
    return `${description} [${preview.properties.map(renderPropertyPreview).join(', ')}${more}]`;
  }
  if (preview.entries) {
    const entries = preview.entries.map((e) =>
      e.key ? `${renderPreview(e.key)} => ${renderPreview(e.value)}` : renderPreview(e.value),
    );
    return `${description} {${entries.join(', ')}${more}}`;
  }
  if (preview.type !== 'object' || DESCRIBED_BY_V8.has(preview.subtype ?? '')) return description;
  const properties = preview.properties.map((p) => `${p.name}: ${renderPropertyPreview(p)}`);
  return `${description === 'Object' ? '' : `${description} `}{${properties.join(', ')}${more}}`;
}

function renderPropertyPreview(property: Protocol.Runtime.PropertyPreview): string {
  if (property.type === 'string') return JSON.stringify(property.value ?? '');
  if (property.type === 'function') return 'ƒ';
  return property.value ?? property.type;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
