// Turns the source text of a captured function (Function.prototype.toString) into an expression
// that creates an equivalent function: plain and arrow functions as they are, methods and
// accessors through an object literal, classes with their heritage replaced by a parameter,
// methods keyed by an expression under a placeholder key, their static initialisers removed
// (their results were captured as properties) and a way in for their private fields.
import {
  parse,
  tokenizer,
  type AnyNode,
  type ArrowFunctionExpression,
  type ClassExpression,
  type Expression,
  type Function as FunctionNode,
  type MethodDefinition,
  type Program,
  type Property,
  type PropertyDefinition,
  type StaticBlock,
} from 'acorn';
import { HOME_OBJECT_VARIABLE } from '../heap/tags';
import { childrenOf } from '../resume/ast';

export type FunctionForm = 'expression' | 'method' | 'getter' | 'setter' | 'class';

export interface FunctionExpression {
  form: FunctionForm;
  code: string;
  /**
   * Where the function's text starts in `code`. The text keeps the original's lines and columns
   * (edits keep their shape) so that the restore can place it where it stood in its file.
   */
  textStart: number;
  /** For classes: whether it had an `extends` clause, now reading `$ferryHeritage`. */
  derived?: boolean;
  /** An arrow made from its text as it is, unparsed: whether V8 compiles it is for the capture to check. */
  unparsed?: true;
}

// A function written inside a class may name its private members (#x): its text alone does not declare them.
const OPTIONS = {
  ecmaVersion: 'latest',
  sourceType: 'script',
  allowReturnOutsideFunction: true,
  checkPrivateFields: false,
} as const;

export interface ExpressionOptions {
  /** Classes: able to make instances without running their code (see classExpression). */
  stamped?: boolean;
  /** Classes: code to run inside the class body, in a static block. */
  hosted?: string;
  /** Object-literal methods: `super` is the prototype of the home object in HOME_OBJECT_VARIABLE. */
  superHome?: boolean;
}

export function functionExpression(source: string, options: ExpressionOptions = {}): FunctionExpression {
  const { stamped = false, hosted = '', superHome = false } = options;
  // A plain function's text is an expression as it is: not parsed (a parse costs as much as the
  // text is long, and most functions are plain ones). A method named `function` using `super` is not.
  if (/^(?:async\s+)?function[\s*(]/.test(source) && !/\bsuper\b/.test(source))
    return { form: 'expression', code: `(${source})`, textStart: 1 };
  // Nor an arrow that names neither `this` nor `arguments` (nothing to rewrite) nor a private member
  // (V8 compiles that only inside its class), told from its head.
  if (!/\b(?:this|arguments)\b/.test(source) && !PRIVATE_NAME.test(source) && isArrowText(source))
    return { form: 'expression', code: `(${source})`, textStart: 1, unparsed: true };
  const direct = tryParse(`(${source}\n)`);
  if (direct) {
    const expr = firstExpression(direct);
    if (expr?.type === 'ClassExpression') return classExpression(source, expr, 1, stamped, hosted);
    if (expr?.type === 'FunctionExpression') return { form: 'expression', code: `(${source})`, textStart: 1 };
    if (expr?.type === 'ArrowFunctionExpression')
      return { form: 'expression', code: `(${lexicalToVariables(source, expr, 1)})`, textStart: 1 };
  }
  return methodExpression(source, superHome);
}

/**
 * Whether a function's text is an arrow function's, read up to its body: an arrow's `=>` comes
 * before any bracket opens at the top level, a method's or class's body opens with `{` first.
 */
function isArrowText(source: string): boolean {
  let depth = 0;
  try {
    for (const token of tokenizer(source, OPTIONS)) {
      const label = token.type.label;
      if (depth === 0 && label === '=>') return true;
      if (depth === 0 && (label === '{' || label === 'class')) return false;
      if (label === '(' || label === '[' || label === '{' || label === '${') depth++;
      else if (label === ')' || label === ']' || label === '}') depth--;
    }
  } catch {
    // Not tokenized as a whole (a method's text on its own may not be): not told here.
  }
  return false;
}

/** A method or accessor, through an object literal whose one property it is, keyed `m`. */
function methodExpression(source: string, superHome: boolean): FunctionExpression {
  // V8 gives a class's method named `static` without its name, from its parameters on: `m` is put before them.
  const unnamed = source.startsWith('(') ? 'm' : '';
  const prop = firstProperty(tryParse(`({${unnamed}${source}\n})`));
  if (!prop || prop.type !== 'Property')
    throw new Error(`cannot re-create a function from its source: ${source.slice(0, 80)}`);
  const text = unnamed ? source : keyedM(source, prop);
  const form: FunctionForm = prop.kind === 'get' ? 'getter' : prop.kind === 'set' ? 'setter' : 'method';
  const field = form === 'getter' ? 'get' : form === 'setter' ? 'set' : 'value';
  // The literal is the method's home object; its prototype forwards to the real one's (superOf).
  const proto = superHome ? `__proto__: $ferrySuper(() => ${HOME_OBJECT_VARIABLE}), ` : '';
  const prefix = `Object.getOwnPropertyDescriptor({${proto}${unnamed}`;
  return { form, code: `${prefix}${text}}, "m").${field}`, textStart: prefix.length };
}

/** The method's text keyed `m`: its (possibly computed) key expression must not run again. */
function keyedM(source: string, prop: Property): string {
  const keyStart = prop.computed ? findBracket(source, prop.key.start - 2) : prop.key.start - 2;
  const keyEnd = prop.computed ? source.indexOf(']', prop.key.end - 2) + 1 : prop.key.end - 2;
  return `${source.slice(0, keyStart)}${sameShape(source.slice(keyStart, keyEnd), 'm')}${source.slice(keyEnd)}`;
}

/**
 * A class without its heritage (read from `$ferryHeritage`), key expressions (RestoredMember) and
 * static initialisers. Private fields get a setter, registered with `$ferryStamp`
 * (restore/privates.ts) from a static block, since only code inside the class can write them;
 * static private fields keep their declaration.
 * A `stamped` class also gets a mode in which constructing it runs none of its code: field
 * initialisers and constructor bodies are skipped while `$ferryStamp.active`.
 */
function classExpression(
  source: string,
  node: ClassExpression,
  offset: number,
  stamped: boolean,
  hosted: string,
): FunctionExpression {
  const edits: Array<[number, number, string]> = [];
  const at = (n: AnyNode) => [n.start - offset, n.end - offset] as const;
  if (node.superClass) edits.push([...at(node.superClass), '$ferryHeritage']);
  const instanceFields: string[] = [];
  const staticFields: string[] = [];
  for (const { key, bracket } of keyPlaceholders(source, node, offset))
    edits.push([...bracket, sameShape(source.slice(...bracket), JSON.stringify(key))]);
  for (const member of node.body.body) {
    const privateName = member.type === 'PropertyDefinition' ? privateFieldName(member) : undefined;
    if (member.type === 'PropertyDefinition' && privateName)
      (member.static ? staticFields : instanceFields).push(privateName);
    if (member.type === 'MethodDefinition' && madeOnItsOwn(member, source.slice(...at(member)))) {
      // Its key's expression may name what is gone (a module's const); the method is made on its own.
      edits.push([...at(member), sameShape(source.slice(...at(member)), '')]);
    } else if (member.type === 'StaticBlock' || (member.type === 'PropertyDefinition' && member.static)) {
      edits.push([...at(member), sameShape(source.slice(...at(member)), privateName ? `static ${privateName};` : '')]);
    } else if (stamped && member.type === 'PropertyDefinition' && member.value) {
      edits.push([...at(member.value), `$ferryStamp.active ? undefined : (${source.slice(...at(member.value))})`]);
    } else if (stamped && member.type === 'MethodDefinition' && member.kind === 'constructor') {
      const bodyStart = member.value.body.start - offset + 1;
      const skip = node.superClass
        ? ' if ($ferryStamp.active) { super(); return; }'
        : ' if ($ferryStamp.active) return;';
      edits.push(...parametersAfterSkip(member.value, offset, source), [bodyStart, bodyStart, skip]);
    }
  }
  if (stamped || instanceFields.length > 0 || staticFields.length > 0) {
    const setter = (target: string, names: string[]) =>
      names.map((name) => `if ($v.has("${name}")) ${target}.${name} = $v.get("${name}");`).join(' ');
    const closing = node.body.end - offset - 1;
    edits.push([
      closing,
      closing,
      ` static { $ferryStamp.register(this, ($o, $v) => { ${setter('$o', instanceFields)} }, ($v) => { ${setter('this', staticFields)} }); } `,
    ]);
  }
  if (hosted) edits.push([node.body.end - offset - 1, node.body.end - offset - 1, ` static { ${hosted} } `]);
  let code = source;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0]))
    code = code.slice(0, start) + text + code.slice(end);
  return { form: 'class', code: `(${code})`, textStart: 1, derived: !!node.superClass };
}

/**
 * A constructor's parameters run code when they destructure or have defaults, and a stamped
 * instance is made with no arguments: such a list is bound in the body instead, after the skip
 * (`constructor(...$ferryParameters) { skip; var [a, { b }] = $ferryParameters; ... }`).
 */
function parametersAfterSkip(ctor: FunctionNode, offset: number, source: string): Array<[number, number, string]> {
  const params = ctor.params;
  if (params.every((p) => p.type === 'Identifier')) return [];
  const start = params[0].start - offset;
  const bodyStart = ctor.body.start - offset + 1;
  const end = source.lastIndexOf(')', bodyStart); // past a trailing comma, which a rest parameter may not have
  return [
    [start, end, '...$ferryParameters'],
    [bodyStart, bodyStart, ` var [${source.slice(start, end)}] = $ferryParameters;`],
  ];
}

/**
 * Whether a class member's key is an expression evaluated with the class (`[symbolObservable]()`),
 * other than a well-known symbol (`[Symbol.iterator]`), which evaluates the same anywhere.
 */
function isEvaluatedKey(member: ClassMember | Property): boolean {
  if (member.type === 'StaticBlock') return false;
  const key = member.key;
  const wellKnown =
    key.type === 'MemberExpression' &&
    !key.computed &&
    key.object.type === 'Identifier' &&
    key.object.name === 'Symbol' &&
    key.property.type === 'Identifier' &&
    typeof Symbol[key.property.name as keyof SymbolConstructor] === 'symbol';
  return member.computed && !wellKnown;
}

/** A private name (#x): only code inside its class's body may name one. */
export const PRIVATE_NAME = /#[A-Za-z_$\\]/;

/**
 * Whether a class method is left out of its restored class and made on its own: when its key was
 * an expression. Not one that uses `super` or names a private member (`[kClose]() { this.#client }`,
 * as undici writes), which only its class gives it (it stays in the class, and its key's
 * expression must find its names there).
 */
function madeOnItsOwn(member: ClassMember | Property, text: string): boolean {
  return isEvaluatedKey(member) && !/\bsuper\b/.test(text) && !PRIVATE_NAME.test(text);
}

/**
 * Whether a class member keeps a key expression in the restored class, which evaluates it again:
 * an instance field's. Static fields are left out, and a method keyed by an expression is made on
 * its own or defined under a placeholder key (RestoredMember).
 */
export function keepsEvaluatedKey(member: ClassMember): member is PropertyDefinition {
  return member.type === 'PropertyDefinition' && !member.static && isEvaluatedKey(member);
}

/**
 * A method or accessor a restored class defines, under its own key or, where that key was an
 * expression, under a placeholder: a method that stays in its class though its key was an expression
 * (it names a private member or uses `super`) is defined under a placeholder key, so that the
 * expression is not evaluated again (it may read what the restore has no value for yet, or a
 * module's constant no closure kept). The restore takes each member from there by its text (the
 * program may have deleted it from its class, or added it under another key), deletes what the
 * class no longer had, and every member gets its key from the checkpoint, as every property does.
 */
export interface RestoredMember {
  key: string | symbol;
  static: boolean;
  kind: 'method' | 'get' | 'set';
  /** Its text, as Function.prototype.toString gives it (past `static`). */
  text: string;
  /** Where V8 locates it (its parameters), from the start of the class's text. */
  at: number;
}

/** The methods and accessors a restored class defines (not its constructor, nor those made on their own). */
export function restoredClassMembers(classSource: string): RestoredMember[] {
  const expression = firstExpression(tryParse(`(${classSource}\n)`));
  if (expression?.type !== 'ClassExpression') return [];
  const placeholders = new Map(keyPlaceholders(classSource, expression, 1).map((p) => [p.method, p.key]));
  return expression.body.body.flatMap((m): RestoredMember[] => {
    if (m.type !== 'MethodDefinition' || m.kind === 'constructor' || m.key.type === 'PrivateIdentifier') return [];
    const key = placeholders.get(m) ?? ownKey(m);
    if (key === undefined) return []; // made on its own
    const start = m.static ? skipTrivia(classSource, m.start - 1 + 'static'.length).at : m.start - 1;
    const kind = m.kind === 'get' || m.kind === 'set' ? m.kind : 'method';
    return [{ key, static: m.static, kind, text: classSource.slice(start, m.end - 1), at: m.value.start - 1 }];
  });
}

/** A member's key as written (`name`, `'name'`, `1`) or a well-known symbol (`[Symbol.iterator]`); else undefined. */
function ownKey(member: MethodDefinition): string | symbol | undefined {
  const key = member.key;
  if (!member.computed)
    return key.type === 'Identifier' ? key.name : key.type === 'Literal' ? String(key.value) : undefined;
  if (isEvaluatedKey(member) || key.type !== 'MemberExpression' || key.property.type !== 'Identifier') return undefined;
  return Symbol[key.property.name as keyof SymbolConstructor] as symbol;
}

/**
 * The methods of a class defined under a placeholder key, and where each key's `[expression]`
 * stands. A placeholder is a character of Unicode's private use area absent from the class's text
 * (no other member can have it as key), quoted: three characters, no longer than the shortest `[k]`,
 * so that the text keeps its shape.
 */
function keyPlaceholders(
  source: string,
  node: ClassExpression,
  offset: number,
): Array<{ method: MethodDefinition; key: string; bracket: [number, number] }> {
  const methods = node.body.body.filter(
    (m): m is MethodDefinition =>
      m.type === 'MethodDefinition' &&
      m.kind !== 'constructor' &&
      isEvaluatedKey(m) &&
      !madeOnItsOwn(m, source.slice(m.start - offset, m.end - offset)),
  );
  let code = PRIVATE_USE_FIRST;
  return methods.map((method) => {
    while (source.includes(String.fromCharCode(code))) code++;
    if (code > PRIVATE_USE_LAST) throw new Error('a class with more computed keys than placeholders');
    return {
      method,
      key: String.fromCharCode(code++),
      bracket: [findBracket(source, method.key.start - offset), source.indexOf(']', method.key.end - offset) + 1],
    };
  });
}

const PRIVATE_USE_FIRST = 0xe000;
const PRIVATE_USE_LAST = 0xf8ff;

/** Where a class's explicit constructor's parameter list starts in its text (V8 locates the class there); 0 without one. */
export function constructorOffset(classSource: string): number {
  const expression = firstExpression(tryParse(`(${classSource}\n)`));
  if (expression?.type !== 'ClassExpression') return 0;
  const ctor = expression.body.body.find((m) => m.type === 'MethodDefinition' && m.kind === 'constructor');
  return ctor?.type === 'MethodDefinition' ? ctor.value.start - 1 : 0;
}

/**
 * An arrow's `this` and `arguments` are its enclosing function's, which the capture carried as
 * context variables: read them from there (see LEXICAL_NAMES).
 */
function lexicalToVariables(source: string, arrow: ArrowFunctionExpression, offset: number): string {
  const edits: Array<[number, number, string]> = [];
  const visit = (node: AnyNode): void => {
    if (
      node !== arrow &&
      (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ClassBody')
    )
      return;
    if (node.type === 'ThisExpression') edits.push([node.start - offset, node.end - offset, LEXICAL_NAMES.this]);
    else if (node.type === 'Identifier' && node.name === 'arguments')
      edits.push([node.start - offset, node.end - offset, LEXICAL_NAMES.arguments]);
    childrenOf(node).forEach(visit);
  };
  visit(arrow);
  let code = source;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0]))
    code = code.slice(0, start) + text + code.slice(end);
  return code;
}

/** Context variables that cannot be declared under their own name. */
export const LEXICAL_NAMES = { this: '$ferryThis', arguments: '$ferryArguments' } as const;

/** The name a context variable is declared under when its own cannot be; own keys only (a variable may be called `toString`). */
export function lexicalName(name: string): string | undefined {
  return Object.hasOwn(LEXICAL_NAMES, name) ? LEXICAL_NAMES[name as keyof typeof LEXICAL_NAMES] : undefined;
}

/**
 * `replacement` in place of `original`, padded with blanks that keep the original's line breaks,
 * so that what follows stays on its line and column (a longer replacement shifts its own line only).
 */
function sameShape(original: string, replacement: string): string {
  return replacement + original.slice(replacement.length).replace(/[^\r\n\u2028\u2029]/g, ' ');
}

function findBracket(source: string, from: number): number {
  return source.lastIndexOf('[', from);
}

/** Class texts' parses while sharingClassParses runs; none kept otherwise. */
let classParses: Map<string, Program | undefined> | undefined;

/**
 * Runs `make` with each class's text parsed once: the restore's passes over a class (made, its
 * members listed, its constructor located) read the same text three times, most of a small
 * program's restore. The parses go with its end, not to the program the restore then runs.
 */
export function sharingClassParses<T>(make: () => T): T {
  classParses = new Map();
  try {
    return make();
  } finally {
    classParses = undefined;
  }
}

function tryParse(text: string): Program | undefined {
  const shared = classParses && text.startsWith('(class') ? classParses : undefined;
  if (shared?.has(text)) return shared.get(text);
  let program: Program | undefined;
  try {
    program = parse(text, OPTIONS);
  } catch {
    program = undefined;
  }
  shared?.set(text, program);
  return program;
}

/** Whether a function's text is a class's. */
export function isClassSource(source: string | undefined): boolean {
  return !!source && /^class[\s{]/.test(source);
}

/**
 * Whether a script's directive prologue (the string-literal statements it starts with) holds
 * "use strict". A hand scan of the prologue alone, each character read once: a regex over the
 * whole source backtracked for a minute on lodash.js.
 */
export function isStrictScript(source: string): boolean {
  let at = skipTrivia(source, source.startsWith('#!') ? lineEnd(source, 0) : 0).at;
  for (;;) {
    const end = stringLiteralEnd(source, at);
    if (end === undefined) return false;
    const after = skipTrivia(source, end);
    if (!endsStatement(source, after.at, after.crossedLine)) return false; // 'use strict'.length is an expression
    // A directive is the literal's raw text: 'use\x20strict' is not one.
    if (source.slice(at + 1, end - 1) === 'use strict') return true;
    at = source[after.at] === ';' ? skipTrivia(source, after.at + 1).at : after.at;
  }
}

const LINE_TERMINATORS = '\n\r\u2028\u2029';

/** Past whitespace and comments from `at`; whether a line ended on the way (for automatic semicolons). */
function skipTrivia(source: string, at: number): { at: number; crossedLine: boolean } {
  let crossedLine = false;
  while (at < source.length) {
    const c = source[at];
    if (c === '/' && source[at + 1] === '/') at = lineEnd(source, at);
    else if (c === '/' && source[at + 1] === '*') {
      const close = source.indexOf('*/', at + 2);
      if (close < 0) return { at: source.length, crossedLine };
      for (let i = at + 2; i < close && !crossedLine; i++) crossedLine = LINE_TERMINATORS.includes(source[i]);
      at = close + 2;
    } else if (/\s/.test(c)) {
      crossedLine ||= LINE_TERMINATORS.includes(c);
      at++;
    } else break;
  }
  return { at, crossedLine };
}

function lineEnd(source: string, at: number): number {
  while (at < source.length && !LINE_TERMINATORS.includes(source[at])) at++;
  return at;
}

/** Where the string literal starting at `at` ends (past its closing quote); undefined if none starts there. */
function stringLiteralEnd(source: string, at: number): number | undefined {
  const quote = source[at];
  if (quote !== '"' && quote !== "'") return undefined;
  for (let i = at + 1; i < source.length; i++) {
    const c = source[i];
    if (c === quote) return i + 1;
    if (c === '\\') i++;
    else if (c === '\n' || c === '\r') return undefined;
  }
  return undefined;
}

/**
 * Whether the statement of a string literal ends before `at`: at a semicolon, a closing brace, the
 * end, or a line break after which the expression cannot go on (acorn's rule, with `||`, `in` and
 * `instanceof` too).
 */
function endsStatement(source: string, at: number, crossedLine: boolean): boolean {
  const c = source[at];
  if (at >= source.length || c === ';' || c === '}') return true;
  if (!crossedLine) return false;
  if ('(`.[+-/*%<>=,?^&|'.includes(c) || (c === '!' && source[at + 1] === '=')) return false;
  return !/^in(?:stanceof)?(?![\w$\u0080-\uffff])/.test(source.slice(at, at + 11));
}

/** A member of a class body. */
export type ClassMember = MethodDefinition | PropertyDefinition | StaticBlock;

/** The expression of a program's first statement, when it is an expression statement. */
function firstExpression(program: Program | undefined): Expression | undefined {
  const statement = program?.body[0];
  return statement?.type === 'ExpressionStatement' ? statement.expression : undefined;
}

/** The first property of an object literal that is a program's first expression. */
function firstProperty(program: Program | undefined): Property | undefined {
  const expression = firstExpression(program);
  const first = expression?.type === 'ObjectExpression' ? expression.properties[0] : undefined;
  return first?.type === 'Property' ? first : undefined;
}

/** `#name` for a private field, else undefined. */
function privateFieldName(member: PropertyDefinition): string | undefined {
  return member.key.type === 'PrivateIdentifier' ? `#${member.key.name}` : undefined;
}
