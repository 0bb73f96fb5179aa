// How ES modules are linked, read from their text: what each imports and exports, and which of
// its bindings it reassigns. An importer sees an exported binding live, so a reassigned one must
// stay linked after a restore (restore/live-bindings.ts); the capture refuses the links it cannot
// follow. Shared by capture and restore.
import {
  parse,
  type AnyNode,
  type Declaration,
  type Identifier,
  type Literal,
  type Pattern,
  type Program,
} from 'acorn';
import { full } from 'acorn-walk';
import { patternNames } from './ast';

export interface ModuleImport {
  local: string;
  specifier: string;
  /** The exported name, or '*' for a namespace import. */
  imported: string;
}

export interface ModuleLinks {
  imports: ModuleImport[];
  /** Exported name → the module's own binding that holds it. */
  exports: Map<string, string>;
  /** Specifiers of `export ... from` (bindings passed on from another module). */
  reexports: string[];
  /** Where each `export ... from` statement stands in the text ([start, end)), for a module standing in for this one. */
  reexportRanges: Array<[number, number]>;
  /** Bindings assigned anywhere after their declaration (a superset: shadowing names count too). */
  reassigned: Set<string>;
  /** Whether the module calls `import()` (a namespace reached that way is not followed). */
  dynamicImport: boolean;
}

/** A module's links, from its text or from its already parsed program; undefined when it does not parse. */
export function moduleLinks(module: string | Program): ModuleLinks | undefined {
  const program = typeof module === 'string' ? parseModule(module) : module;
  if (!program) return undefined;
  const links: ModuleLinks = {
    imports: [],
    exports: new Map(),
    reexports: [],
    reexportRanges: [],
    reassigned: new Set(),
    dynamicImport: false,
  };
  for (const top of program.body) {
    if (top.type === 'ImportDeclaration') {
      for (const spec of top.specifiers) {
        const imported =
          spec.type === 'ImportNamespaceSpecifier'
            ? '*'
            : spec.type === 'ImportDefaultSpecifier'
              ? 'default'
              : nameOf(spec.imported);
        links.imports.push({ local: spec.local.name, specifier: String(top.source.value), imported });
      }
    } else if ((top.type === 'ExportNamedDeclaration' || top.type === 'ExportAllDeclaration') && top.source) {
      links.reexports.push(String(top.source.value)); // export { x } from / export * from
      links.reexportRanges.push([top.start, top.end]);
    } else if (top.type === 'ExportNamedDeclaration') {
      if (top.declaration) for (const name of declaredNames(top.declaration)) links.exports.set(name, name);
      for (const spec of top.specifiers) links.exports.set(nameOf(spec.exported), nameOf(spec.local));
    } else if (top.type === 'ExportDefaultDeclaration') {
      const named = 'id' in top.declaration && top.declaration.id;
      links.exports.set('default', named ? named.name : ANONYMOUS_DEFAULT);
    }
  }
  full(program, (node: AnyNode) => {
    if (node.type === 'AssignmentExpression') bindingNames(node.left, links.reassigned);
    else if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier')
      links.reassigned.add(node.argument.name);
    else if (
      (node.type === 'ForInStatement' || node.type === 'ForOfStatement') &&
      node.left.type !== 'VariableDeclaration'
    )
      bindingNames(node.left, links.reassigned);
    else if (node.type === 'ImportExpression') links.dynamicImport = true;
  });
  return links;
}

/** The binding V8 gives an anonymous `export default` expression (as its debugger's scopes list it). */
export const ANONYMOUS_DEFAULT = '*default*';

function parseModule(text: string): Program | undefined {
  try {
    return parse(text, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  } catch {
    return undefined;
  }
}

/** The URL a relative or absolute specifier names from `importerUrl`; undefined for bare ones (packages). */
export function resolveSpecifier(specifier: string, importerUrl: string): string | undefined {
  if (!/^(\.{1,2}\/|\/|file:)/.test(specifier)) return undefined;
  try {
    return new URL(specifier, importerUrl).href;
  } catch {
    return undefined;
  }
}

function nameOf(node: Identifier | Literal): string {
  return node.type === 'Identifier' ? node.name : String(node.value);
}

function declaredNames(declaration: Declaration): string[] {
  const out = new Set<string>();
  if (declaration.type === 'VariableDeclaration') for (const d of declaration.declarations) bindingNames(d.id, out);
  else if (declaration.id) out.add(declaration.id.name);
  return [...out];
}

/** Names bound by a binding or assignment pattern (member expressions are properties, not bindings). */
export function bindingNames(pattern: Pattern, out: Set<string>): void {
  for (const name of patternNames(pattern)) out.add(name);
}
