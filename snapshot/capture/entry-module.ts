// Which module is the program's entry: only its body may go on after a restore from a top-level
// await (or a Checkpoint Here in it), since the modules importing any other wait for it inside
// Node's module loader, which no restore makes again.
import type { ProgramValue } from '../heap/program-value';

/**
 * The URL Node's loader gave the entry module (argv[1], resolved and real); empty when it cannot be
 * told. Runs in the target: in the capture agent, and sent by the capture (cdp/in-target.ts).
 */
export function entryModuleUrl(): string {
  const builtin = (process as ProgramValue).getBuiltinModule as (name: string) => ProgramValue;
  try {
    const main = builtin('fs').realpathSync(builtin('path').resolve(process.argv[1]));
    return builtin('url').pathToFileURL(main).href;
  } catch {
    return '';
  }
}
