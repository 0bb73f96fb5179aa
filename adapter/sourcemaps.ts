// Source maps of loaded scripts: generated <-> original positions (0-based lines and columns).
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  GREATEST_LOWER_BOUND,
  LEAST_UPPER_BOUND,
  TraceMap,
  generatedPositionFor,
  originalPositionFor,
} from '@jridgewell/trace-mapping';

export interface Position {
  line: number;
  column: number;
}

export interface OriginalPosition extends Position {
  /** Absolute path of the original source (or its URL when it is not a file). */
  source: string;
}

// How far to look below a line that has no mapping (blank lines, comments, type-only code).
const MAX_LINE_SEARCH = 50;

export class SourceMap {
  /** Original sources as absolute paths, in the map's order. */
  readonly sources: readonly string[];

  private constructor(private readonly map: TraceMap) {
    this.sources = map.resolvedSources.map(urlToPath);
  }

  /** Loads the map a script names in its sourceMappingURL comment; undefined if it cannot be read. */
  static async load(scriptUrl: string, sourceMapUrl: string): Promise<SourceMap | undefined> {
    try {
      const base = scriptUrl.startsWith('/') ? pathToFileURL(scriptUrl).href : scriptUrl;
      const mapUrl = new URL(sourceMapUrl, base);
      const text =
        mapUrl.protocol === 'data:' ? decodeDataUrl(mapUrl.href) : await readFile(fileURLToPath(mapUrl), 'utf8');
      return new SourceMap(new TraceMap(text, mapUrl.protocol === 'data:' ? base : mapUrl.href));
    } catch {
      return undefined; // a missing or broken map leaves the script debuggable as plain JS
    }
  }

  includes(path: string): boolean {
    return this.sources.includes(path);
  }

  toOriginal(position: Position): OriginalPosition | undefined {
    for (const bias of [GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND] as const) {
      const found = originalPositionFor(this.map, { line: position.line + 1, column: position.column, bias });
      if (found.source !== null) return { source: urlToPath(found.source), line: found.line - 1, column: found.column };
    }
    return undefined;
  }

  /** The first generated position at or after `position` in `path`, searching later lines if needed. */
  toGenerated(path: string, position: Position): Position | undefined {
    const source = this.map.sources[this.sources.indexOf(path)];
    if (source === undefined || source === null) return undefined;
    for (let line = position.line; line < position.line + MAX_LINE_SEARCH; line++) {
      const column = line === position.line ? position.column : 0;
      const found = generatedPositionFor(this.map, { source, line: line + 1, column, bias: LEAST_UPPER_BOUND });
      if (found.line !== null) return { line: found.line - 1, column: found.column };
    }
    return undefined;
  }
}

function urlToPath(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url) : url;
}

function decodeDataUrl(url: string): string {
  const comma = url.indexOf(',');
  const payload = url.slice(comma + 1);
  return url.slice(0, comma).endsWith(';base64')
    ? Buffer.from(payload, 'base64').toString('utf8')
    : decodeURIComponent(payload);
}
