// An ES module's body suspended at a top-level await resumes as an async function, which cannot hold
// import or export syntax. Its imports are bindings the variant is given (their values as the module
// scope held them), and its exports are bindings of the module scope that importers read from there:
// the syntax is blanked out, every offset kept, so that the variant is built from the body as from a
// function's.
import { parseScript, type ParsedScript } from './parse';

/**
 * The module's text with its import and export syntax blanked, and the names it imports; or why it
 * cannot resume at `offset`.
 */
export function moduleBodyScript(
  script: ParsedScript,
  offset: number,
): { script: ParsedScript; imports: string[] } | string {
  let source = script.source;
  const imports: string[] = [];
  const blank = (start: number, end: number) =>
    (source =
      source.slice(0, start) + source.slice(start, end).replace(/[^\r\n\u2028\u2029]/g, ' ') + source.slice(end));
  for (const statement of script.program.body) {
    switch (statement.type) {
      case 'ImportDeclaration':
        imports.push(...statement.specifiers.map((specifier) => specifier.local.name));
        blank(statement.start, statement.end);
        break;
      case 'ExportAllDeclaration':
        blank(statement.start, statement.end);
        break;
      case 'ExportNamedDeclaration':
        if (statement.declaration) blank(statement.start, statement.declaration.start);
        else blank(statement.start, statement.end);
        break;
      case 'ExportDefaultDeclaration': {
        const { declaration } = statement;
        const named =
          (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && !!declaration.id;
        if (!named && statement.end > offset)
          return 'the module exports a default value after its top-level await (`export default`), which only the module itself can bind';
        blank(statement.start, named ? declaration.start : statement.end);
        break;
      }
    }
  }
  return { script: source === script.source ? script : parseScript(source, true), imports };
}
