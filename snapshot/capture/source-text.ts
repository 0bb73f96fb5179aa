// What a script's text says without running it: its plain string literals (the paths a program
// names, capture/workfiles.ts) and the modules it can require or import (capture/requirable.ts). One linear
// pass over the text: no regular expression runs over a whole source (a backtracking one took
// minutes on a large bundle once).

/** A string literal without escapes: its text, where its opening quote is, and where it ends (past its closing quote). */
export interface Literal {
  text: string;
  open: number;
  end: number;
}

/** The words of code the scan notes where they stand (not in a comment, string or regular expression). */
type ModuleWord = 'require' | 'import' | 'from';

/** A script's plain literals, and where each module word stands in its code. */
interface ScannedSource {
  literals: Literal[];
  words: Record<ModuleWord, number[]>;
}

/**
 * The string literals of a source that have no escapes: '...', "...", and template literals without
 * substitutions; comments and regular expression literals skipped, and the strings inside a
 * template's substitutions found (a brace stack tells a substitution's closing brace from a
 * block's). Not a parser: a `/` is taken for a regular expression where an operand is expected, by
 * the character before it (a quoted string ends at its line at the latest, whatever is misread).
 */
export function stringLiterals(source: string): string[] {
  return scanSource(source).literals.map((literal) => literal.text);
}

/** What calls of a script ask for, `require(…)` or `import(…)`. */
export interface ModuleCalls {
  /** The requests written as plain string literals: `require('./x')`, `import("lodash/fp")`. */
  requests: string[];
  /** The 1-based lines of the calls whose request is computed (`require(name)`): what they load cannot be known. */
  computed: number[];
}

/** What a script asks of the module loaders, as its text writes it. */
export interface ModuleRequests {
  /** Its `require(…)` calls (not `x.require(…)`, nor a word ending in `require`). */
  requires: ModuleCalls;
  /** Its `import(…)` calls. */
  imports: ModuleCalls;
  /** `import x from '…'`, `import '…'`, `export … from '…'`: only an ES module has them (its text is not checked for being one). */
  statics: string[];
}

export function moduleRequests(source: string): ModuleRequests {
  const scanned = scanSource(source);
  const literalAt = new Map(scanned.literals.map((literal) => [literal.open, literal]));
  const literalAfter = (at: number, word: ModuleWord) => literalAt.get(skipSpaces(source, at + word.length))?.text;
  const statics = [
    ...scanned.words.import.map((at) => literalAfter(at, 'import')),
    ...scanned.words.from.map((at) => literalAfter(at, 'from')),
  ].filter((text): text is string => text !== undefined);
  return {
    requires: calls(source, scanned, 'require', literalAt),
    imports: calls(source, scanned, 'import', literalAt),
    statics,
  };
}

/** The calls `word(…)` of a script: a literal argument (followed by `)`, or by `,` for import()'s options), or a computed one's line. */
function calls(
  source: string,
  scanned: ScannedSource,
  word: 'require' | 'import',
  literalAt: Map<number, Literal>,
): ModuleCalls {
  const found: ModuleCalls = { requests: [], computed: [] };
  const lines = lineCounter(source);
  for (const at of scanned.words[word]) {
    const open = skipSpaces(source, at + word.length);
    if (source[open] !== '(') continue; // `require.resolve`, `import.meta`, a static import, a variable named so
    const literal = literalAt.get(skipSpaces(source, open + 1));
    const after = literal && source[skipSpaces(source, literal.end)];
    if (after === ')' || (word === 'import' && after === ',')) found.requests.push(literal!.text);
    else found.computed.push(lines(at));
  }
  return found;
}

function skipSpaces(source: string, at: number): number {
  while (at < source.length && /\s/.test(source[at])) at++;
  return at;
}

/** The 1-based line of each offset asked, asked in increasing order: the text is counted once overall. */
function lineCounter(source: string): (offset: number) => number {
  let line = 1;
  let counted = 0;
  return (offset) => {
    for (; counted < offset; counted++) if (source.charCodeAt(counted) === 10) line++;
    return line;
  };
}

function scanSource(source: string): ScannedSource {
  const scanned: ScannedSource = { literals: [], words: { require: [], import: [], from: [] } };
  const substitutions: boolean[] = []; // per open brace: whether it opened a template substitution
  let at = 0;
  // Scans template text from `from` (just past a backtick or a substitution's closing brace).
  const template = (from: number, whole: boolean) => {
    for (let i = from; i < source.length; i++) {
      const c = source[i];
      if (c === '\\') {
        whole = false;
        i++;
      } else if (c === '`') {
        if (whole) scanned.literals.push({ text: source.slice(from, i), open: from - 1, end: i + 1 });
        return i + 1;
      } else if (c === '$' && source[i + 1] === '{') {
        substitutions.push(true);
        return i + 2;
      }
    }
    return source.length;
  };
  while (at < source.length) {
    const c = source[at];
    const next = source[at + 1];
    if (c === '/' && next === '/') at = endOf(source.indexOf('\n', at), source);
    else if (c === '/' && next === '*') at = endOf(source.indexOf('*/', at + 2), source) + 2;
    else if (c === "'" || c === '"') at = quoted(source, at, scanned.literals);
    else if (c === '/' && startsOperand(source, at)) at = regularExpression(source, at);
    else if (c === '`') at = template(at + 1, true);
    else if (c === '}' && substitutions.pop()) at = template(at + 1, false);
    else {
      if (c === '{') substitutions.push(false);
      else noteModuleWord(source, at, scanned.words);
      at = nextInCode(source, at + 1);
    }
  }
  return scanned;
}

/** Where code can change what the scan does: a literal's, comment's or regular expression's start, a brace, a module word. */
const CODE_STOPS = /[/'"`{}]|\b(?:require|import|from)\b/g;

/** The next place in code the scan looks at (the characters between are code it passes over). */
function nextInCode(source: string, from: number): number {
  CODE_STOPS.lastIndex = from;
  return CODE_STOPS.exec(source)?.index ?? source.length;
}

const MODULE_WORDS: ModuleWord[] = ['require', 'import', 'from'];

function noteModuleWord(source: string, at: number, words: ScannedSource['words']): void {
  const word = moduleWordAt(source, at);
  if (word) words[word].push(at);
}

/** The module word standing as a word of its own at `at`, not a property (`x.require`) nor part of a longer word. */
function moduleWordAt(source: string, at: number): ModuleWord | undefined {
  if (/[\w$.]/.test(source[at - 1] ?? '')) return undefined;
  return MODULE_WORDS.find((word) => source.startsWith(word, at) && !/[\w$]/.test(source[at + word.length] ?? ''));
}

/** Whether an operand may start at `at`: after an operator or punctuation, a keyword such as `return`, or nothing. */
function startsOperand(source: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(source[i])) i--;
  if (i < 0 || '(,=:[!&|?{};~+-*%<>^'.includes(source[i])) return true;
  const word = /[\w$]+$/.exec(source.slice(Math.max(0, i - 9), i + 1))?.[0];
  return (
    word !== undefined &&
    ['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'void', 'yield', 'await', 'delete', 'throw', 'new'].includes(
      word,
    )
  );
}

/** Skips the regular expression literal opening at `open` (to its line's end at the latest). */
function regularExpression(source: string, open: number): number {
  let inClass = false;
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '\n') return i;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
  }
  return source.length;
}

function endOf(index: number, source: string): number {
  return index < 0 ? source.length : index;
}

/** Scans the string literal opening at `open`; keeps it when it has no escapes; returns where scanning goes on. */
function quoted(source: string, open: number, literals: Literal[]): number {
  const quote = source[open];
  let plain = true;
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (c === quote) {
      if (plain) literals.push({ text: source.slice(open + 1, i), open, end: i + 1 });
      return i + 1;
    }
    if (c === '\n') return i;
    if (c === '\\') {
      plain = false;
      i++;
    }
  }
  return source.length;
}
