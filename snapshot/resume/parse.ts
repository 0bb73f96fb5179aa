// Parses a script once and maps CDP's 0-based line/column to source offsets.
import { parse, type Program } from 'acorn';
import type { Location0 } from '../format/sections';

export interface ParsedScript {
  source: string;
  program: Program;
  lineStarts: number[];
  isModule: boolean;
}

const cache = new Map<string, ParsedScript>();
const CACHE_LIMIT = 64;

/** `asModule`: the text is a module's whatever it holds (a module's body with its import syntax blanked). */
export function parseScript(source: string, asModule = false): ParsedScript {
  const hit = cache.get(source);
  if (hit) return hit;
  const common = { ecmaVersion: 'latest', allowHashBang: true, allowReturnOutsideFunction: true } as const;
  let program: Program | undefined;
  let isModule = false;
  try {
    if (!asModule) program = parse(source, { ...common, sourceType: 'script' });
  } catch {
    // ESM (import/export, top-level await) only parses as a module.
  }
  if (!program) {
    program = parse(source, { ...common, sourceType: 'module', allowReturnOutsideFunction: false });
    isModule = true;
  }
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10) || c === 0x2028 || c === 0x2029)
      lineStarts.push(i + 1);
  }
  const parsed = { source, program, lineStarts, isModule };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(source, parsed);
  return parsed;
}

export function offsetOf(script: ParsedScript, at: Location0): number {
  const start = script.lineStarts[at.line];
  if (start === undefined) throw new RangeError(`line ${at.line + 1} is past the end of the script`);
  return start + at.column;
}

export function locationOf(script: ParsedScript, offset: number): Location0 {
  let lo = 0;
  let hi = script.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (script.lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - script.lineStarts[lo] };
}
