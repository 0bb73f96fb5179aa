// What a script's text says that the heap cannot: which names live at module top level (one
// context per module, never ambiguous), which names are ever reassigned (contexts holding only
// names that are not can be merged or split freely), and which arrow functions read a lexical
// `this`/`arguments` (V8's scope view omits them; only the heap snapshot has them).
import { parse, type Node } from 'acorn';
import { ancestor, full } from 'acorn-walk';
import { bindingNames, moduleLinks, type ModuleImport } from '../heap/module-links';
import { keepsEvaluatedKey } from '../restore/function-source';
import { identifiersIn } from '../resume/ast';

export interface ScriptFacts {
  moduleNames: string[];
  mutableNames: string[];
  /** "line:column" (0-based, as V8 reports a function's location) of arrows using lexical this/arguments. */
  lexicalThisArrows: string[];
  /** The same, for object-literal methods that use `super` (their home object is read from the heap snapshot). */
  superMethods: string[];
  /** Classes (by location) whose restored copy evaluates member keys again: the names those keys read. */
  evaluatedClassKeys: Record<string, string[]>;
  /** ES modules: exported names whose binding the module reassigns (its importers see them change: live bindings). */
  reassignedExports?: string[];
  /** ES modules: what they import and pass on, to check that every live binding can be followed. */
  imports?: ModuleImport[];
  reexports?: string[];
  dynamicImport?: boolean;
  /** ES modules: whether a function reads `import.meta` (restored code is no module: it cannot). */
  importMetaInFunction?: boolean;
}

/** The parameters of the CommonJS wrapper: module-level names in every CommonJS module. */
const WRAPPER_NAMES = ['exports', 'require', 'module', '__filename', '__dirname'];

export function analyzeScript(source: string): ScriptFacts | undefined {
  let program: Node;
  try {
    program = parse(source, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      allowHashBang: true,
      locations: true,
    });
  } catch {
    try {
      program = parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true, locations: true });
    } catch {
      return undefined; // not JavaScript we can read: the agent assumes the worst for it
    }
  }
  const moduleNames = new Set(WRAPPER_NAMES);
  for (const top of (program as any).body as any[]) {
    // An ES module's top level: `export <declaration>`, `export { local as name }`, imports.
    const statement =
      (top.type === 'ExportNamedDeclaration' || top.type === 'ExportDefaultDeclaration') && top.declaration
        ? top.declaration
        : top;
    const names = new Set<string>();
    if (statement.type === 'VariableDeclaration') for (const d of statement.declarations) bindingNames(d.id, names);
    else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id)
      names.add(statement.id.name);
    else if (statement.type === 'ImportDeclaration')
      for (const spec of statement.specifiers) names.add(spec.local.name);
    for (const name of names) moduleNames.add(name);
  }
  const mutable = new Set<string>();
  const lexicalThis = new Set<string>();
  const superMethods = new Set<string>();
  const evaluatedClassKeys: Record<string, string[]> = {};
  full(program, (node: any) => {
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      const names = new Set<string>();
      for (const member of node.body.body)
        if (keepsEvaluatedKey(member, source.slice(member.start, member.end)))
          identifiersIn(member.key).forEach((n) => names.add(n));
      // V8 locates a class at its explicit constructor's parameters, else at its start.
      const ctor = node.body.body.find((m: any) => m.kind === 'constructor');
      if (names.size > 0) evaluatedClassKeys[at(ctor ? ctor.value : node)] = [...names];
    }
    if (node.type === 'ObjectExpression') {
      for (const p of node.properties)
        if (p.type === 'Property' && (p.method || p.kind !== 'init') && usesSuper(p.value))
          superMethods.add(at(p.value));
    }
    if (node.type === 'AssignmentExpression') bindingNames(node.left, mutable);
    else if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') mutable.add(node.argument.name);
    else if (
      (node.type === 'ForInStatement' || node.type === 'ForOfStatement') &&
      node.left.type !== 'VariableDeclaration'
    )
      bindingNames(node.left, mutable);
  });
  let importMetaInFunction = false;
  ancestor(program, {
    ThisExpression: (_node: any, _state: unknown, ancestors: any[]) => markArrow(ancestors, lexicalThis),
    MetaProperty: (node: any, _state: unknown, ancestors: any[]) => {
      markArrow(ancestors, lexicalThis);
      if (node.meta.name === 'import' && ancestors.some((a) => /Function/.test(a.type))) importMetaInFunction = true;
    },
    Identifier: (node: any, _state: unknown, ancestors: any[]) => {
      if (node.name === 'arguments') markArrow(ancestors, lexicalThis);
    },
  } as any);
  const links = (program as any).sourceType === 'module' ? moduleLinks(program) : undefined;
  return {
    moduleNames: [...moduleNames],
    mutableNames: [...mutable],
    lexicalThisArrows: [...lexicalThis],
    superMethods: [...superMethods],
    evaluatedClassKeys,
    ...(links
      ? {
          reassignedExports: [...links.exports]
            .filter(([, local]) => links.reassigned.has(local))
            .map(([name]) => name),
          imports: links.imports,
          reexports: links.reexports,
          dynamicImport: links.dynamicImport,
          importMetaInFunction,
        }
      : {}),
  };
}

/** V8 reports a function's location as the start of its parameters, as acorn starts the node. */
function at(fn: any): string {
  return `${fn.loc.start.line - 1}:${fn.loc.start.column}`;
}

function usesSuper(fn: any): boolean {
  let found = false;
  full(fn.body, (node: any) => {
    if (node.type === 'Super') found = true;
  });
  return found;
}

/** Marks every arrow between the use and the nearest enclosing non-arrow function. */
function markArrow(ancestors: any[], out: Set<string>): void {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const node = ancestors[i];
    if (node.type === 'ArrowFunctionExpression') out.add(at(node));
    else if (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ClassBody')
      return;
  }
}
