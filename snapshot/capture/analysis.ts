// What a script's text says that the heap cannot: which names live at module top level (one
// context per module, never ambiguous), which names are ever reassigned (contexts holding only
// names that are not can be merged or split freely), which names only ever hold a function or
// class their own scope made (two contexts never hold the same one), and which arrow functions read
// a lexical `this`/`arguments` (V8's scope view omits them; only the heap snapshot has them).
import { parse, type AnyNode, type Node, type Position, type Program } from 'acorn';
import { ancestor, full } from 'acorn-walk';
import { bindingNames, moduleLinks, type ModuleImport } from '../resume/module-links';
import { keepsEvaluatedKey } from '../restore/function-source';
import { childrenOf, identifiersIn } from '../resume/ast';
import { closureAssignedVariables, varNames } from './closure-assignments';
import type { ClosureAssigned } from './agent/text-spans';

export interface ScriptFacts {
  moduleNames: string[];
  mutableNames: string[];
  /**
   * The variables a function assigns while an enclosing one declares them (closure-assignments.ts),
   * or undefined when the text cannot tell: the others are frozen once no run of their function is live.
   */
  closureAssigned?: ClosureAssigned[];
  /**
   * Names whose every binding holds a function, class, object or array made by that binding's own
   * scope, never reassigned: a declaration, or a variable initialised with one (a literal). Each scope's run makes its own,
   * so two contexts holding the same one under such a name are one context.
   */
  freshValueNames: string[];
  /** Parameters a sloppy function's `arguments` object may assign: the text shows no assignment to them. */
  aliasedParameters: string[];
  /** Whether a direct `eval` or a `with` may bind or assign names the text does not show. */
  hidesBindings: boolean;
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
  /** Whether the script calls `import()`: a module may be loaded after a restore, and import a restored one. */
  dynamicImport: boolean;
  /** ES modules: whether a function reads `import.meta` (restored code is no module: it cannot). */
  importMetaInFunction?: boolean;
}

/** The parameters of the CommonJS wrapper: module-level names in every CommonJS module. */
const WRAPPER_NAMES = ['exports', 'require', 'module', '__filename', '__dirname'];

/**
 * What a script's text says. `origin`: where V8 says the text starts (a script compiled with a line
 * offset, as a restored program's code is), so that places here are V8's.
 */
export function analyzeScript(source: string, origin = { line: 0, column: 0 }): ScriptFacts | undefined {
  const program = parseScriptOrModule(source);
  if (!program) return undefined; // not JavaScript we can read: the agent assumes the worst for it
  if (origin.line !== 0 || origin.column !== 0) moveLocations(program, origin);
  const { mutable, superMethods, evaluatedClassKeys } = scanDeclarations(program);
  const { lexicalThis, importMetaInFunction, dynamicImport, hidesBindings, aliased } = scanUses(program);
  const links = program.sourceType === 'module' ? moduleLinks(program) : undefined;
  const moduleNames = topLevelNames(program);
  const closureAssigned = closureAssignedVariables(program, moduleNames);
  return {
    moduleNames: [...moduleNames],
    mutableNames: [...mutable],
    ...(closureAssigned ? { closureAssigned } : {}),
    freshValueNames: hidesBindings ? [] : [...freshValueNames(program, mutable)],
    aliasedParameters: [...aliased],
    hidesBindings,
    lexicalThisArrows: [...lexicalThis],
    superMethods: [...superMethods],
    evaluatedClassKeys,
    dynamicImport,
    ...(links
      ? {
          reassignedExports: [...links.exports]
            .filter(([, local]) => links.reassigned.has(local))
            .map(([name]) => name),
          imports: links.imports,
          reexports: links.reexports,
          importMetaInFunction,
        }
      : {}),
  };
}

function parseScriptOrModule(source: string): Program | undefined {
  // A CommonJS module's text is a function body: it may `return` at its top level.
  for (const sourceType of ['script', 'module'] as const) {
    try {
      const allowReturnOutsideFunction = sourceType === 'script';
      return parse(source, {
        ecmaVersion: 'latest',
        sourceType,
        allowReturnOutsideFunction,
        allowHashBang: true,
        locations: true,
      });
    } catch {
      // try the next kind
    }
  }
  return undefined;
}

/** Shifts every node's place by `origin` (its column only on the text's first line). */
function moveLocations(program: Program, origin: { line: number; column: number }): void {
  const moved = new Set<Position>(); // nodes starting or ending at one token share its position
  const move = (at: Position) => {
    if (moved.has(at)) return;
    moved.add(at);
    if (at.line === 1) at.column += origin.column;
    at.line += origin.line;
  };
  full(program, (node: AnyNode) => {
    move(node.loc!.start);
    move(node.loc!.end);
  });
}

/**
 * Names at a module's top level: `export <declaration>`, `export { local as name }`, imports, `var`s
 * in its blocks, the CommonJS wrapper's (its `arguments` too).
 */
function topLevelNames(program: Program): Set<string> {
  const names = new Set<string>([...WRAPPER_NAMES, ...varNames(program)]);
  if (program.sourceType === 'script') names.add('arguments');
  for (const top of program.body) {
    const statement =
      (top.type === 'ExportNamedDeclaration' || top.type === 'ExportDefaultDeclaration') && top.declaration
        ? top.declaration
        : top;
    if (statement.type === 'VariableDeclaration') for (const d of statement.declarations) bindingNames(d.id, names);
    else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id)
      names.add(statement.id.name);
    else if (statement.type === 'ImportDeclaration')
      for (const spec of statement.specifiers) names.add(spec.local.name);
  }
  return names;
}

/** Reassigned names, object-literal methods using `super`, and the names class keys evaluated again read. */
function scanDeclarations(program: Program) {
  const mutable = new Set<string>();
  const superMethods = new Set<string>();
  const evaluatedClassKeys: Record<string, string[]> = {};
  full(program, (node: AnyNode) => {
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      const names = new Set<string>();
      for (const member of node.body.body)
        if (keepsEvaluatedKey(member)) identifiersIn(member.key).forEach((n) => names.add(n));
      // V8 locates a class at its explicit constructor's parameters, else at its start.
      const ctor = node.body.body.find((m) => m.type === 'MethodDefinition' && m.kind === 'constructor');
      if (names.size > 0) evaluatedClassKeys[at(ctor?.type === 'MethodDefinition' ? ctor.value : node)] = [...names];
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
  return { mutable, superMethods, evaluatedClassKeys };
}

/** Expressions that make a new object each time they run (a `new` may hand out an old one). */
const MADE_BY_SCOPE = new Set([
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassExpression',
  'ObjectExpression',
  'ArrayExpression',
]);

/**
 * ScriptFacts.freshValueNames (none when a direct eval or a `with` may bind names the text does
 * not show). A name bound any other way anywhere in the script (a parameter, a named function
 * expression's own name, which every run of that function sees, a catch or import binding, any
 * other variable) is left out.
 */
function freshValueNames(program: Program, mutable: Set<string>): Set<string> {
  const made = new Set<string>();
  const other = new Set<string>();
  full(program, (node: AnyNode) => {
    if (node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      if (node.id) made.add(node.id.name);
    } else if (node.type === 'FunctionExpression' && node.id) other.add(node.id.name);
    else if (node.type === 'VariableDeclarator') {
      const own = node.id.type === 'Identifier' && !!node.init && MADE_BY_SCOPE.has(node.init.type);
      if (own) made.add((node.id as { name: string }).name);
      else bindingNames(node.id, other);
    } else if (node.type === 'CatchClause' && node.param) bindingNames(node.param, other);
    else if (node.type === 'ImportDeclaration') for (const spec of node.specifiers) other.add(spec.local.name);
    if ('params' in node) for (const param of node.params) bindingNames(param, other);
  });
  return new Set([...made].filter((name) => !other.has(name) && !mutable.has(name)));
}

/**
 * ScriptFacts.aliasedParameters, for one `arguments` in the text: a sloppy function's `arguments`
 * maps its simple parameters, so a write through it, or through any code it is handed to
 * (`[].shift.call(arguments)`), assigns them. Reading its length or an element assigns nothing.
 * Strict code maps none.
 */
function addAliasedParameters(program: Program, ancestors: Node[], names: Set<string>): void {
  if (onlyReadsElements(ancestors)) return;
  const index = ancestors.findLastIndex((a) => a.type === 'FunctionDeclaration' || a.type === 'FunctionExpression');
  const fn = ancestors[index] as AnyNode | undefined;
  if (!fn || !('params' in fn) || !fn.params.every((p) => p.type === 'Identifier')) return;
  if (isStrictAt(program, ancestors.slice(0, index + 1))) return;
  for (const param of fn.params) bindingNames(param, names);
}

/** `arguments.length` or `arguments[i]` read (not assigned, updated, deleted or called with it as `this`), or spread. */
function onlyReadsElements(ancestors: Node[]): boolean {
  const [outer, parent, node] = ancestors.slice(-3) as AnyNode[];
  if (parent?.type === 'SpreadElement') return true;
  if (parent?.type !== 'MemberExpression' || parent.object !== node) return false;
  switch (outer?.type) {
    case 'AssignmentExpression':
    case 'ForInStatement':
    case 'ForOfStatement':
      return outer.left !== parent;
    case 'UpdateExpression':
      return outer.argument !== parent;
    case 'UnaryExpression':
      return outer.operator !== 'delete';
    case 'CallExpression':
      return outer.callee !== parent;
    default:
      return true;
  }
}

/** Whether code inside `enclosing` (outermost first) is strict: a module, a class, a 'use strict' directive. */
function isStrictAt(program: Program, enclosing: Node[]): boolean {
  if (program.sourceType === 'module' || hasUseStrict(program.body)) return true;
  return enclosing.some((node) => {
    const n = node as AnyNode;
    if (n.type === 'ClassBody') return true;
    return (
      (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression') &&
      n.body.type === 'BlockStatement' &&
      hasUseStrict(n.body.body)
    );
  });
}

function hasUseStrict(body: AnyNode[]): boolean {
  for (const statement of body) {
    if (statement.type !== 'ExpressionStatement' || statement.directive === undefined) return false;
    if (statement.directive === 'use strict') return true;
  }
  return false;
}

function isDirectEval(node: Node): boolean {
  const call = node as AnyNode;
  return call.type === 'CallExpression' && call.callee.type === 'Identifier' && call.callee.name === 'eval';
}

/**
 * In one pass over the text: arrows that read a lexical `this`/`arguments`/`new.target`, whether a
 * function reads `import.meta`, whether the script calls `import()`, whether a direct `eval` or a
 * `with` hides bindings, and the parameters `arguments` objects alias.
 */
function scanUses(program: Program) {
  const lexicalThis = new Set<string>();
  const aliased = new Set<string>();
  let importMetaInFunction = false;
  let dynamicImport = false;
  let hidesBindings = false;
  ancestor(program, {
    ImportExpression: () => (dynamicImport = true),
    WithStatement: () => (hidesBindings = true),
    CallExpression: (node) => {
      if (isDirectEval(node)) hidesBindings = true;
    },
    ThisExpression: (_node, _state, ancestors) => markArrow(ancestors, lexicalThis),
    MetaProperty: (node, _state, ancestors) => {
      markArrow(ancestors, lexicalThis);
      if (node.meta.name === 'import' && ancestors.some((a) => /Function/.test(a.type))) importMetaInFunction = true;
    },
    Identifier: (node, _state, ancestors) => {
      if (node.name !== 'arguments') return;
      markArrow(ancestors, lexicalThis);
      addAliasedParameters(program, ancestors, aliased);
    },
  });
  return { lexicalThis, importMetaInFunction, dynamicImport, hidesBindings, aliased };
}

/** V8 reports a function's location as the start of its parameters, as acorn starts the node. */
function at(fn: AnyNode): string {
  return `${fn.loc!.start.line - 1}:${fn.loc!.start.column}`;
}

/** Whether the method's `super` is used: in its body or its arrows, not in a function or class of its own. */
function usesSuper(fn: AnyNode): boolean {
  return childrenOf(fn).some(readsThisHome);
}

/** A nested method, function, field or static block has a home object of its own (a class's computed keys do not). */
function readsThisHome(node: AnyNode): boolean {
  if (node.type === 'Super') return true;
  if (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'StaticBlock')
    return false;
  if (node.type === 'PropertyDefinition' || node.type === 'MethodDefinition')
    return node.computed && readsThisHome(node.key);
  return childrenOf(node).some(readsThisHome);
}

/** Marks every arrow between the use and the nearest enclosing non-arrow function. */
function markArrow(ancestors: AnyNode[], out: Set<string>): void {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const node = ancestors[i];
    if (node.type === 'ArrowFunctionExpression') out.add(at(node));
    else if (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ClassBody')
      return;
  }
}
