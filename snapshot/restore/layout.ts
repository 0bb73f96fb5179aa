// Lays the generated code out so that every re-created function's text stands at the very line and
// column it had in its file, in a script named as that file: V8 then reports error stacks,
// `console.trace`, uncaught exceptions and debugger locations exactly as in the original run.
//
// A generated chunk marks each function with three markers (see `marks`): where its expression
// begins, where its original text begins, where its expression ends. The main script is laid out
// in text order with padding (blank lines and spaces); a function that cannot be placed there (its
// place lies behind the text already written: a closure inside a function that is restored too, a
// second closure made by the same literal, another file) is made by a direct eval in the same spot
// (same scope), its text padded to its place inside the eval, named by `//# sourceURL`.
import { fileURLToPath } from 'node:url';
import type { SourceEntry } from '../format/sections';
import type { Anchor } from '../resume/index';

/** A 0-based position, lines counted as V8 counts them. */
export interface Position {
  line: number;
  column: number;
}

export interface Placement {
  /** The name V8 shows for the function's script (a path for CommonJS, a URL for ES modules). */
  name: string;
  /** Where its text starts in that script; undefined when it could not be found there. */
  at?: Position;
}

/** The script name a stack trace shows for an original script: CommonJS modules are named by path. */
export function stackName(script: SourceEntry): string {
  return !script.module && script.url.startsWith('file://') ? fileURLToPath(script.url) : script.url;
}

const LINE_END = /\r\n?|[\n\u2028\u2029]/g;

/** Offsets where each line starts, with V8's line terminators. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(LINE_END)) starts.push(match.index! + match[0].length);
  return starts;
}

/** How many line breaks `text` holds and where its last line starts, without an array per line (texts are large). */
export function lineBreaks(text: string): { count: number; lastLineStart: number } {
  if (/[\r\u2028\u2029]/.test(text)) {
    const starts = lineStarts(text);
    return { count: starts.length - 1, lastLineStart: starts.at(-1)! };
  }
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return { count, lastLineStart: text.lastIndexOf('\n') + 1 };
}

/** Finds `text` (a function's source) in its script, near where V8 located the function (at or a little after its start). */
export function originalPosition(
  text: string,
  script: string,
  starts: number[],
  located: Position,
): Position | undefined {
  const site = (starts[located.line] ?? script.length) + located.column;
  const at = script.lastIndexOf(text, site);
  if (at < 0 || at + text.length < site) return undefined;
  let line = located.line;
  while (line > 0 && starts[line] > at) line--;
  return { line, column: at - starts[line] };
}

/**
 * How much padding the evals may hold in all (each keeps its text while its functions live): many
 * closures made by one literal deep in a large file would otherwise pad each to its line.
 */
const EVAL_PADDING_BUDGET = 16 * 2 ** 20;

/** Markers around each placed function, unique to one restore (no program text can hold them). */
export class Marks {
  private readonly nonce = `\u0000${Math.random().toString(36).slice(2)}:`;
  readonly placements: Placement[] = [];
  private evalPadding = 0;

  /** `code` with markers: `textStart` is where the function's original text starts in it. */
  wrap(code: string, textStart: number, placement: Placement): string {
    const k = this.placements.push(placement) - 1;
    return `${this.mark('<', k)}${code.slice(0, textStart)}${this.mark('@', k)}${code.slice(textStart)}${this.mark('>', k)}`;
  }

  /** The chunk's code to compile as `name` from `lineOffset`, and everything it places by eval. */
  layOut(marked: string): { code: string; name?: string; lineOffset: number } {
    const tokens = [...marked.matchAll(new RegExp(`${this.nonce}([<@>])(\\d+)\u0000`, 'g'))].map((m) => ({
      kind: m[1],
      k: Number(m[2]),
      start: m.index!,
      end: m.index! + m[0].length,
    }));
    const ends = new Map(tokens.map((t, i) => [`${t.kind}${t.k}`, i]));
    const first = tokens.find((t) => t.kind === '@' && this.placements[t.k].at);
    const main = first ? this.placements[first.k] : undefined;
    const writer = new Writer(main?.name, main ? main.at!.line : 0);
    const write = (out: Writer, from: number, to: number, fromToken: number): void => {
      let at = from;
      for (let i = fromToken; i < tokens.length && tokens[i].start < to; i++) {
        const token = tokens[i];
        if (token.start < at) continue; // inside a piece already written
        out.append(marked.slice(at, token.start));
        const text = ends.get(`@${token.k}`)!;
        const end = ends.get(`>${token.k}`)!;
        const prefix = marked.slice(token.end, tokens[text].start);
        const placement = this.placements[token.k];
        if (out.canPlace(placement, prefix)) {
          out.append(prefix);
          out.pad(placement.at!);
          write(out, tokens[text].end, tokens[end].start, text + 1);
        } else {
          out.append(
            this.evaluated(prefix, placement, (inner) => write(inner, tokens[text].end, tokens[end].start, text + 1)),
          );
        }
        at = tokens[end].end;
      }
      out.append(marked.slice(at, to));
    };
    write(writer, 0, marked.length, 0);
    return { code: writer.text(), name: main?.name, lineOffset: writer.lineOffset };
  }

  /** A direct eval making the piece in the scope where it stands, its text padded to its place. */
  private evaluated(prefix: string, placement: Placement, rest: (out: Writer) => void): string {
    const padding = placement.at ? placement.at.line + placement.at.column : 0;
    const placed =
      new Writer(placement.name, 0, 0).canPlace(placement, prefix) && this.evalPadding + padding <= EVAL_PADDING_BUDGET;
    // Unplaced, nothing inside it is placed either: its lines are not the file's.
    const out = new Writer(placed ? placement.name : undefined, 0, 0);
    out.append(prefix);
    if (placed) {
      this.evalPadding += padding;
      out.pad(placement.at!);
    }
    rest(out);
    // Where it cannot be placed (on the first line behind its own prefix, or past the budget) it keeps a name of its own.
    const name = placed ? placement.name : 'ferry://restored/unplaced.js';
    out.append(`\n//# sourceURL=${name}`);
    // An arrow of its own: a sloppy eval slows the lookups of the scope it runs in, only this one's.
    return `(() => eval(${out.expression()}))()`;
  }

  private mark(kind: string, k: number): string {
    return `${this.nonce}${kind}${k}\u0000`;
  }
}

/** A resumed frame's variant laid out as a script: its name, and its text as is or as an expression making it. */
export interface LaidOutVariant {
  name: string;
  text(): string;
  expression(): string;
}

/**
 * Lays out resumed frames' variants: each in a script named as its frame's file, the program's
 * nodes in its code padded to the lines and columns they had there (resume/placed.ts anchors), so
 * that stacks show the frame where it stood. Past the padding budget a variant keeps a name of its own.
 */
export class VariantLayout {
  private padding = 0;

  layOut(
    parts: { prefix: string; code: string; suffix: string; anchors: Anchor[] },
    file: string | undefined,
    fallbackName: string,
  ): LaidOutVariant {
    const { prefix, code, suffix, anchors } = parts;
    const last = anchors.at(-1);
    const padding = last ? last.line + last.column : 0;
    const placed = file !== undefined && this.padding + padding <= EVAL_PADDING_BUDGET;
    if (placed) this.padding += padding;
    const name = placed ? file : fallbackName;
    const out = new Writer(name, 0, 0);
    out.append(prefix);
    let written = 0;
    for (const anchor of placed ? anchors : []) {
      out.append(code.slice(written, anchor.offset));
      written = anchor.offset;
      if (out.canPlace({ name, at: anchor }, '', anchor.breakable)) out.pad(anchor);
    }
    out.append(`${code.slice(written)}${suffix}\n//# sourceURL=${name}`);
    return { name, text: () => out.text(), expression: () => out.expression() };
  }
}

/** Generated text, with the position it has reached as V8 will count it. */
class Writer {
  /** Text, and padding as its number of line breaks and spaces. */
  private readonly parts: Array<string | { lines: number; spaces: number }> = [];
  private line = 0;
  private column = 0;

  /**
   * @param name the script's name: only its functions can be placed in it
   * @param firstLine the original line of the script's first placed function
   * @param lineOffset the script's line offset, fixed for evals (0); else chosen at the first placement
   */
  constructor(
    private readonly name: string | undefined,
    firstLine: number,
    lineOffset?: number,
  ) {
    this.lineOffset = lineOffset ?? firstLine - 1;
  }

  lineOffset: number;

  append(text: string): void {
    this.parts.push(text);
    const { count, lastLineStart } = lineBreaks(text);
    if (count > 0) {
      this.line += count;
      this.column = text.length - lastLineStart;
    } else {
      this.column += text.length;
    }
  }

  /** Whether the piece's text can start at its place once `prefix` is written (on this line, unless `breakable`). */
  canPlace(placement: Placement, prefix: string, breakable = true): boolean {
    if (!placement.at || placement.name !== this.name) return false;
    const { count, lastLineStart } = lineBreaks(prefix);
    const line = this.line + count;
    const column = count > 0 ? prefix.length - lastLineStart : this.column + prefix.length;
    const target = placement.at.line - this.lineOffset;
    return (breakable && target > line) || (target === line && placement.at.column >= column);
  }

  /** Blank lines and spaces up to `at` (canPlace said it is ahead). */
  pad(at: Position): void {
    const target = at.line - this.lineOffset;
    if (target > this.line) {
      this.parts.push({ lines: target - this.line, spaces: at.column });
      this.line = target;
    } else {
      this.parts.push({ lines: 0, spaces: at.column - this.column });
    }
    this.column = at.column;
  }

  text(): string {
    return this.parts.map((part) => (typeof part === 'string' ? part : padding(part))).join('');
  }

  /** An expression making the text, its padding made where it runs (a string literal would hold it twice, escaped). */
  expression(): string {
    return this.parts
      .map((part) =>
        typeof part === 'string' ? JSON.stringify(part) : `"\\n".repeat(${part.lines}) + " ".repeat(${part.spaces})`,
      )
      .join(' + ');
  }
}

function padding({ lines, spaces }: { lines: number; spaces: number }): string {
  return '\n'.repeat(lines) + ' '.repeat(spaces);
}
