// Whose a function is: the program's when its script is one the controller listed as the program's
// (every script parsed before the capture that is not Node's), the runtime's otherwise.
import { RESTORE_RUNTIME_MARK } from '../../heap/tags';
import type { Introspector } from './inspector';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';

export class FunctionOrigins {
  constructor(
    private readonly introspector: Introspector,
    private readonly userScripts: ReadonlySet<string>,
    /** The program's CommonJS loader, which the restore runtime marks in a restored process. */
    private readonly Module: ProgramValue,
  ) {}

  isInternalScript = (scriptId: string): boolean => !this.userScripts.has(scriptId);

  isRuntimeFunction = (fn: object): boolean => {
    const location = this.introspector.location(fn as ProgramFunction);
    return !!location && this.isInternalScript(location.scriptId);
  };

  isUserFunction = (fn: ProgramFunction): boolean => {
    const location = this.introspector.location(fn);
    return !!location && !this.isInternalScript(location.scriptId);
  };

  /** In a restored process, whether `fn` is the restore runtime's own code (heap/tags.ts RESTORE_RUNTIME_MARK). */
  isRestoreRuntimeFunction = (fn: ProgramFunction): boolean => {
    const mark: unknown = Reflect.get(this.Module, Symbol.for(RESTORE_RUNTIME_MARK));
    if (typeof mark !== 'function') return false;
    const runtimeScript = this.introspector.location(mark as ProgramFunction)?.scriptId;
    return runtimeScript !== undefined && this.introspector.location(fn)?.scriptId === runtimeScript;
  };
}
