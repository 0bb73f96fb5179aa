// In-process inspector session: reads what JS cannot see (closure scopes, internal slots).
// Session.post answers synchronously on the same thread, even while an external debugger holds
// the process paused, so each read costs a few tens of microseconds instead of a CDP round trip.
import type { Session } from 'node:inspector';

type Post = (method: string, params?: object) => any;

export interface InternalSlots {
  location?: { scriptId: string; lineNumber: number; columnNumber: number };
  [name: string]: unknown;
}

export class Introspector {
  private readonly session: Session;
  private readonly post: Post;
  /** A temporary global, deleted in dispose(): the only way to hand an object to the inspector. */
  private readonly key = `__ferry_${Math.random().toString(36).slice(2)}`;
  private readonly group = 'ferry-agent';
  private inbox: unknown;

  constructor(inspector: typeof import('node:inspector')) {
    this.session = new inspector.Session();
    this.session.connect();
    this.post = (method, params) => {
      let result: any;
      let failure: any;
      this.session.post(method, params as never, (error: any, value: any) => {
        failure = error;
        result = value;
      });
      if (failure) throw new Error(`${method}: ${failure.message}`);
      return result;
    };
    (globalThis as any)[this.key] = (value: unknown) => {
      this.inbox = value;
    };
  }

  private objectId(value: object): string {
    (globalThis as any)[this.key].value = value;
    const { result } = this.post('Runtime.evaluate', { expression: `globalThis.${this.key}.value`, objectGroup: this.group });
    (globalThis as any)[this.key].value = undefined;
    return result.objectId;
  }

  /** Turns an inspector object id back into the JS value it names. */
  private materialize(objectId: string): unknown {
    this.inbox = undefined;
    this.post('Runtime.callFunctionOn', { objectId, functionDeclaration: `function () { globalThis.${this.key}(this) }`, objectGroup: this.group });
    const value = this.inbox;
    this.inbox = undefined;
    return value;
  }

  /** Internal slots ([[Scopes]], [[FunctionLocation]], [[BoundThis]], [[Target]], [[Entries]], ...) as JS values. */
  internals(value: object): InternalSlots {
    const { internalProperties = [] } = this.post('Runtime.getProperties', { objectId: this.objectId(value), ownProperties: true });
    const slots: InternalSlots = {};
    for (const prop of internalProperties as Array<{ name: string; value?: any }>) {
      const remote = prop.value;
      if (!remote) continue;
      if (prop.name === '[[FunctionLocation]]') slots.location = remote.value;
      else if (remote.objectId) slots[prop.name] = this.materialize(remote.objectId);
      else if (remote.unserializableValue !== undefined) slots[prop.name] = unserializable(remote.unserializableValue);
      else slots[prop.name] = remote.value;
    }
    return slots;
  }

  release(): void {
    this.post('Runtime.releaseObjectGroup', { objectGroup: this.group });
  }

  dispose(): void {
    try {
      this.release();
    } finally {
      delete (globalThis as any)[this.key];
      this.session.disconnect();
    }
  }
}

function unserializable(text: string): unknown {
  if (text.endsWith('n')) return BigInt(text.slice(0, -1));
  if (text === '-0') return -0;
  return Number(text);
}
