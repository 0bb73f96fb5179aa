// Source maps for the code the restore runtime evaluates: each re-created function's text maps
// back to where it stands in the original file, so a debugger attached to the restored program
// shows the original file and binds breakpoints set there (DAP clients resolve them by the map).

export interface PlacedText {
  /** Offset of the function text in the generated code. */
  generatedOffset: number;
  /** The function's text as it was in the original script (to find its lines there). */
  text: string;
  url: string;
  /** The original script, to find the text's position in it. */
  scriptSource: string;
  /** Where V8 said the function is (its text starts there or a little before). */
  line: number;
  column: number;
}

/** An inline source map comment for `code`, or '' when nothing could be placed. */
export function inlineSourceMap(code: string, placed: PlacedText[]): string {
  const sources: string[] = [];
  const contents: string[] = [];
  const lines: Array<Array<[number, number, number, number]>> = [];
  const lineStarts = lineOffsets(code);
  // Per original script, once: thousands of functions may come from one large file.
  const scriptLineStarts = new Map<string, number[]>();
  const startsOf = (text: string) => scriptLineStarts.get(text) ?? scriptLineStarts.set(text, lineOffsets(text)).get(text)!;
  for (const p of placed) {
    const start = originalStart(p, startsOf(p.scriptSource));
    if (start === undefined) continue;
    let source = sources.indexOf(p.url);
    if (source < 0) {
      source = sources.push(p.url) - 1;
      contents.push(p.scriptSource);
    }
    const [genLine, genColumn] = position(lineStarts, p.generatedOffset);
    const [origLine, origColumn] = position(startsOf(p.scriptSource), start);
    const count = p.text.split('\n').length;
    for (let k = 0; k < count; k++) (lines[genLine + k] ??= []).push([k === 0 ? genColumn : 0, source, origLine + k, k === 0 ? origColumn : 0]);
  }
  if (sources.length === 0) return '';
  const map = { version: 3, sources, sourcesContent: contents, names: [], mappings: encodeMappings(lines) };
  return `\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
}

function originalStart(p: PlacedText, scriptLineStarts: number[]): number | undefined {
  const site = (scriptLineStarts[p.line] ?? p.scriptSource.length) + p.column;
  const at = p.scriptSource.lastIndexOf(p.text, site);
  return at >= 0 && at + p.text.length >= site ? at : undefined;
}

function lineOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function position(lineStarts: number[], offset: number): [number, number] {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return [lo, offset - lineStarts[lo]];
}

/** The "mappings" field: per generated line, segments [column, source, line, column], VLQ-encoded as deltas. */
function encodeMappings(lines: Array<Array<[number, number, number, number]>>): string {
  let prevSource = 0;
  let prevLine = 0;
  let prevColumn = 0;
  const out: string[] = [];
  for (let g = 0; g < lines.length; g++) {
    let prevGenColumn = 0;
    const segments = (lines[g] ?? []).sort((a, b) => a[0] - b[0]).map(([genColumn, source, line, column]) => {
      const segment = vlq(genColumn - prevGenColumn) + vlq(source - prevSource) + vlq(line - prevLine) + vlq(column - prevColumn);
      prevGenColumn = genColumn;
      prevSource = source;
      prevLine = line;
      prevColumn = column;
      return segment;
    });
    out.push(segments.join(','));
  }
  return out.join(';');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function vlq(value: number): string {
  let v = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += BASE64[digit];
  } while (v > 0);
  return out;
}
