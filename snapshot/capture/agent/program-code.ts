// What tells the program's functions from the runtime's: the script each was compiled from (the
// program's scripts are those the controller listed), and in a restored process the restore
// runtime's own script, which it marks (heap/tags.ts RESTORE_RUNTIME_MARK).
import { RESTORE_RUNTIME_MARK } from '../../heap/tags';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';
import type { Introspector } from './inspector';

export class ProgramCode {
  constructor(
    private readonly introspector: Introspector,
    private readonly userScripts: Set<string>,
    /** The program's own CommonJS loader. */
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

  /** In a restored process, whether `fn` is the restore runtime's own code. */
  isRestoreRuntimeFunction(fn: ProgramFunction): boolean {
    const mark: unknown = Reflect.get(this.Module, Symbol.for(RESTORE_RUNTIME_MARK));
    if (typeof mark !== 'function') return false;
    const runtimeScript = this.introspector.location(mark as ProgramFunction)?.scriptId;
    return runtimeScript !== undefined && this.introspector.location(fn)?.scriptId === runtimeScript;
  }
}
