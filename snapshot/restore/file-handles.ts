// FileHandles of fs/promises made again on their descriptors, which the restore has reopened at
// their numbers and offsets (files.ts). Node exports neither the FileHandle class nor the native
// handle it wraps: both are variables of fs/promises, read once through the inspector from the
// closure of its `open`, as the capture agent reads closures.
import type { ProgramFunction, ProgramValue } from '../heap/program-value';
import { callInTarget } from '../cdp/in-target';

interface FileHandleClasses {
  FileHandle: ProgramFunction;
  /** The native binding of fs, whose FileHandle wraps a descriptor. */
  binding: { FileHandle: ProgramFunction };
}

let classes: FileHandleClasses | undefined;

/** A FileHandle on descriptor `fd` (already open here), or a closed one for -1. */
export function makeFileHandle(fd: number, getBuiltin: (name: string) => ProgramValue): object {
  const { FileHandle, binding } = (classes ??= fileHandleClasses(getBuiltin));
  return Reflect.construct(FileHandle, [fd >= 0 ? Reflect.construct(binding.FileHandle, [fd]) : undefined]);
}

function fileHandleClasses(getBuiltin: (name: string) => ProgramValue): FileHandleClasses {
  const session = new (getBuiltin('inspector').Session)();
  session.connect();
  const post = (method: string, params: object): ProgramValue => {
    let result: ProgramValue;
    let failure: Error | null = null;
    session.post(method, params, (error: Error | null, value: ProgramValue) => {
      failure = error;
      result = value;
    });
    if (failure) throw failure;
    return result;
  };
  // Remote objects come back through a global of ours, called on each (as the capture agent's inspector does).
  const key = `__ferry_${Math.random().toString(36).slice(2)}`;
  let handedOver: unknown;
  (globalThis as ProgramValue)[key] = (value: unknown) => (handedOver = value);
  const valueOf = (objectId: string) => {
    post('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: handOverThis.toString(),
      arguments: [{ value: key }],
    });
    return handedOver as ProgramValue;
  };
  try {
    const open = post('Runtime.evaluate', { expression: callInTarget(fsPromisesOpen) });
    const slots = post('Runtime.getProperties', { objectId: open.result.objectId, ownProperties: true });
    const scopes = slots.internalProperties.find((slot: ProgramValue) => slot.name === '[[Scopes]]');
    const { result: list } = post('Runtime.getProperties', { objectId: scopes.value.objectId, ownProperties: true });
    for (const scope of list as ProgramValue[]) {
      if (!scope.value?.objectId) continue;
      const { result: names } = post('Runtime.getProperties', { objectId: scope.value.objectId, ownProperties: true });
      const variable = (name: string) => names.find((v: ProgramValue) => v.name === name)?.value?.objectId;
      const [FileHandle, binding] = [variable('FileHandle'), variable('binding')];
      if (FileHandle && binding) return { FileHandle: valueOf(FileHandle), binding: valueOf(binding) };
    }
  } finally {
    delete (globalThis as ProgramValue)[key];
    session.disconnect();
  }
  throw new Error(`this Node version (${process.version}) keeps its FileHandle class where Ferry does not look`);
}

function fsPromisesOpen(): ProgramFunction {
  return process.getBuiltinModule('node:fs/promises').open;
}

/** Called on a remote object: hands it to the global function `key` names. */
function handOverThis(this: unknown, key: string): void {
  (globalThis as ProgramValue)[key](this);
}
