// Writes a variant's code so that the restore can put the program's own text back where it stood:
// every node the rewrite left untouched is written as its original text (so a stack, an uncaught
// exception's source line and a debugger read the program's bytes), and each node that came from
// the program is an anchor, its original line and column, that the restore pads the code up to.
import { GENERATOR, generate } from 'astring';
import { childrenOf, type Node } from './ast';
import type { Location0 } from '../format/sections';

/** Where a node of the program starts in generated code, and where it stood in its script. */
export interface Anchor extends Location0 {
  offset: number;
  /** Whether a line break may go before it (not after `return`, `throw`, `yield`, `async`, ...). */
  breakable: boolean;
}

export interface PlacedCode {
  /** The code, on as few lines as it can be: generated parts on one line, the program's text as it is. */
  code: string;
  anchors: Anchor[];
}

/** Every node of `root`'s tree: a rewrite shares the nodes it leaves untouched (ast.ts mapChildren). */
export function originalNodes(root: Node): Set<Node> {
  const nodes = new Set<Node>();
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    nodes.add(node);
    stack.push(...childrenOf(node));
  }
  return nodes;
}

// Nodes whose generator writes parentheses of its own (a sequence): their text alone lacks them.
const GENERATED_ONLY = new Set(['SequenceExpression', 'SwitchCase', 'Program', 'TemplateElement']);
// Restricted productions: a line break after these words changes the meaning.
const NO_BREAK_AFTER = /(?:^|[^\w$])(?:return|throw|break|continue|yield|async|get|set|static)\s*$/;

/**
 * Generates `root` (a rewritten tree sharing `originals`' untouched nodes) with their text taken
 * from `source` and an anchor at each node carrying a position of the program's.
 */
export function generatePlaced(
  root: Node,
  source: string,
  originals: ReadonlySet<Node>,
  locate: (offset: number) => Location0,
): PlacedCode {
  const anchors: Anchor[] = [];
  type Write = (this: Record<string, Write>, node: Node, state: { output: string; write(code: string): void }) => void;
  const base = GENERATOR as unknown as Record<string, Write>;
  const generator: Record<string, Write> = {};
  for (const type of Object.keys(base)) {
    generator[type] = function (node, state) {
      // Nodes the rewrite made have no extent; copies of the program's keep where they started.
      if (node.end > node.start && anchors.at(-1)?.offset !== state.output.length)
        anchors.push({
          offset: state.output.length,
          ...locate(node.start),
          breakable: !NO_BREAK_AFTER.test(state.output.slice(-12)),
        });
      if (originals.has(node) && !GENERATED_ONLY.has(node.type))
        state.write(source.slice(node.start, node.end) + (needsTerminator(node, source) ? ';' : ''));
      else base[type].call(this, node, state);
    };
  }
  const code = generate(root as never, { generator: generator as never, indent: '', lineEnd: ' ' });
  return { code, anchors };
}

/** Whether a statement's own text may end without its semicolon (ASI), so that code written after it would join it. */
function needsTerminator(node: Node, source: string): boolean {
  switch (node.type) {
    case 'ExpressionStatement':
    case 'VariableDeclaration':
    case 'ReturnStatement':
    case 'ThrowStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'DoWhileStatement':
    case 'DebuggerStatement':
      return source[node.end - 1] !== ';';
    case 'IfStatement':
      return needsTerminator(node.alternate ?? node.consequent, source);
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'WhileStatement':
    case 'LabeledStatement':
    case 'WithStatement':
      return needsTerminator(node.body, source);
    default:
      return false;
  }
}
