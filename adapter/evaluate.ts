// Expression evaluation (REPL, watch, hover, logpoints, setVariable values) and REPL completions.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import type { CdpConnection } from '../snapshot/cdp/connection';
import { OBJECT_GROUP, renderValue } from './variables';

type RemoteObject = Protocol.Runtime.RemoteObject;

export interface EvaluateOptions {
  /** Evaluate in this paused frame; globally when absent (or when the target runs). */
  callFrameId?: string;
  /** Hover and completions must not change the program: V8 refuses side effects. */
  sideEffectFree?: boolean;
}

export class Evaluator {
  constructor(private readonly cdp: CdpConnection) {}

  /** Evaluates `expression`; throws with the thrown value's text if it throws. */
  async evaluate(expression: string, options: EvaluateOptions = {}): Promise<RemoteObject> {
    const common = {
      expression,
      objectGroup: OBJECT_GROUP,
      generatePreview: true,
      throwOnSideEffect: options.sideEffectFree,
      silent: true,
    };
    const response = options.callFrameId
      ? await this.cdp.send('Debugger.evaluateOnCallFrame', { ...common, callFrameId: options.callFrameId })
      : await this.cdp.send('Runtime.evaluate', { ...common, replMode: !options.sideEffectFree, awaitPromise: false });
    if (response.exceptionDetails) {
      const thrown = response.exceptionDetails.exception;
      throw new Error(
        thrown ? (thrown.description?.split('\n')[0] ?? renderValue(thrown)) : response.exceptionDetails.text,
      );
    }
    return response.result;
  }

  /** Renders an expression's value as text; used by logpoints, where an error is the message. */
  async text(callFrameId: string, expression: string): Promise<string> {
    try {
      const value = await this.evaluate(expression, { callFrameId });
      return value.type === 'string' ? String(value.value) : renderValue(value);
    } catch (error) {
      return `<${(error as Error).message}>`;
    }
  }

  /**
   * Completion items for the REPL text at `column` (1-based, in characters). `scopes` are the
   * object ids of the paused frame's scopes, whose variables complete bare identifiers.
   */
  async completions(
    text: string,
    column: number,
    options: EvaluateOptions,
    scopes: string[] = [],
  ): Promise<DebugProtocol.CompletionItem[]> {
    const before = text.slice(0, column - 1);
    const member = /([\w$.\])"'`]+)\.([\w$]*)$/.exec(before);
    const prefix = member ? member[2] : /[\w$]*$/.exec(before)![0];
    const names = member ? await this.propertyNames(member[1], options) : await this.scopeNames(scopes);
    return [...names]
      .filter((name) => name.startsWith(prefix) && /^[A-Za-z_$][\w$]*$/.test(name))
      .sort()
      .map((name) => ({ label: name, type: 'property', length: prefix.length }));
  }

  private async propertyNames(expression: string, options: EvaluateOptions): Promise<Set<string>> {
    try {
      const target = await this.evaluate(expression, { ...options, sideEffectFree: true });
      return new Set(await this.namesOf(target));
    } catch {
      return new Set();
    }
  }

  /** Names visible at the paused frame (its scope chain) and the globals. */
  private async scopeNames(scopes: string[]): Promise<Set<string>> {
    const names = new Set<string>();
    for (const scope of scopes) {
      const { result } = await this.cdp.send('Runtime.getProperties', { objectId: scope, ownProperties: true });
      for (const property of result) names.add(property.name);
    }
    for (const name of await this.namesOf(await this.evaluate('globalThis', { sideEffectFree: true }))) names.add(name);
    return names;
  }

  private async namesOf(target: RemoteObject): Promise<string[]> {
    if (!target.objectId) return [];
    const response = await this.cdp.send('Runtime.callFunctionOn', {
      functionDeclaration: `function () {
        const names = new Set();
        for (let o = Object(this); o; o = Object.getPrototypeOf(o)) for (const k of Object.getOwnPropertyNames(o)) names.add(k);
        return [...names];
      }`,
      objectId: target.objectId,
      returnByValue: true,
      throwOnSideEffect: true,
    });
    return Array.isArray(response.result.value) ? (response.result.value as string[]) : [];
  }
}
