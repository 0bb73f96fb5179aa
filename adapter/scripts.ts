// The scripts V8 has parsed, their source maps, and how their locations appear to the DAP client.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import { SourceMap, type Position } from './sourcemaps';

export interface Script {
  readonly id: string;
  readonly url: string;
  /** Absolute path when the script is a file; node: internals and eval code have none. */
  readonly path?: string;
  /** Client handle for fetching the text of scripts without a path (DAP `source` request). */
  readonly sourceReference: number;
  /** Resolves once the script's source map (if any) is loaded. */
  readonly map: Promise<SourceMap | undefined>;
}

/** A location as the client sees it: original source when mapped, 0-based line and column. */
export interface SourceLocation extends Position {
  source: DebugProtocol.Source;
}

/** The client's line/column base (DAP lets clients choose 0- or 1-based). */
export class Coordinates {
  private lineBase = 1;
  private columnBase = 1;
  setBases(lineBase: number, columnBase: number): void {
    this.lineBase = lineBase;
    this.columnBase = columnBase;
  }
  toClient(position: Position): { line: number; column: number } {
    return { line: position.line + this.lineBase, column: position.column + this.columnBase };
  }
  fromClient(line: number, column?: number): { line: number; column?: number } {
    return { line: line - this.lineBase, column: column === undefined ? undefined : column - this.columnBase };
  }
}

export class ScriptRegistry {
  /** Every parsed script by CDP scriptId; exposed to custom requests (checkpoint capture). */
  readonly byId = new Map<string, Protocol.Debugger.ScriptParsedEvent>();
  private readonly scripts = new Map<string, Script>();
  private readonly byReference = new Map<number, Script>();
  private nextReference = 1;

  add(event: Protocol.Debugger.ScriptParsedEvent): Script {
    const known = this.scripts.get(event.scriptId);
    if (known) return known;
    const path = event.url.startsWith('file:')
      ? fileURLToPath(event.url)
      : event.url.startsWith('/')
        ? event.url
        : undefined;
    const script: Script = {
      id: event.scriptId,
      url: event.url,
      path,
      sourceReference: this.nextReference++,
      map: event.sourceMapURL ? SourceMap.load(event.url, event.sourceMapURL) : Promise.resolve(undefined),
    };
    this.byId.set(event.scriptId, event);
    this.scripts.set(event.scriptId, script);
    this.byReference.set(script.sourceReference, script);
    return script;
  }

  get(scriptId: string): Script | undefined {
    return this.scripts.get(scriptId);
  }

  fromReference(sourceReference: number): Script | undefined {
    return this.byReference.get(sourceReference);
  }

  clear(): void {
    this.byId.clear();
    this.scripts.clear();
    this.byReference.clear();
  }

  /** Scripts whose source map names `path` as one of its sources. */
  async mappedFrom(path: string): Promise<Array<{ script: Script; map: SourceMap }>> {
    const found: Array<{ script: Script; map: SourceMap }> = [];
    for (const script of this.scripts.values()) {
      const map = await script.map;
      if (map?.includes(path)) found.push({ script, map });
    }
    return found;
  }

  /** Where a generated location is for the user: in the original source when a map covers it. */
  async locate(scriptId: string, position: Position): Promise<SourceLocation | undefined> {
    const script = this.scripts.get(scriptId);
    if (!script) return undefined;
    const original = (await script.map)?.toOriginal(position);
    if (original) return { source: fileSource(original.source), line: original.line, column: original.column };
    return { source: scriptSource(script), ...position };
  }

  /** DAP sources for loadedSources: every named script, and the original sources behind maps. */
  async loadedSources(): Promise<DebugProtocol.Source[]> {
    const sources = new Map<string, DebugProtocol.Source>();
    for (const script of this.scripts.values()) {
      if (!script.url) continue;
      sources.set(script.path ?? script.url, scriptSource(script));
      for (const original of (await script.map)?.sources ?? []) sources.set(original, fileSource(original));
    }
    return [...sources.values()];
  }
}

function fileSource(path: string): DebugProtocol.Source {
  return { name: basename(path), path };
}

function scriptSource(script: Script): DebugProtocol.Source {
  if (script.path) return fileSource(script.path);
  // node: internals and eval code: the client fetches the text with a `source` request.
  return {
    name: script.url || `eval ${script.id}`,
    sourceReference: script.sourceReference,
    origin: script.url.startsWith('node:') ? 'internal' : 'eval',
    presentationHint: 'deemphasize',
  };
}
