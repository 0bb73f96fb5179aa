// A resumed frame's variant laid out in a script named as its file: the stack a restored program
// reads shows the frame at the line and column it had there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Script } from 'node:vm';
import { generateResumeVariant, type ResumeVariant } from '../resume/index';
import { VariantLayout } from './layout';

const FILE = '/srv/app/report.js';
const SOURCE = `'use strict';
function outer(n) {
  const doubled = n * 2;
  const lines = [inner(doubled),
    'tail'];
  return lines;
}
function inner(value) {
  const made = { value };
  const error = new Error('at ' + made.value);
  return error.stack;
}`;

function locate(marker: string): { line: number; column: number } {
  const before = SOURCE.slice(0, SOURCE.indexOf(marker)).split('\n');
  return { line: before.length - 1, column: before[before.length - 1].length };
}

/** `FILE:line:column` (1-based) of a marker, as a stack writes it. */
const written = (marker: string) => `${FILE}:${locate(marker).line + 1}:${locate(marker).column + 1}`;

/** The variant compiled as the restore does: in a wrapper declaring its bindings, laid out by VariantLayout. */
function compiled(layout: VariantLayout, variant: ResumeVariant, values: Record<string, unknown>) {
  const names = variant.functionBindings.map((b) => b.name);
  const laid = layout.layOut(
    {
      prefix: `(function () { let ${names.join(', ')}; return { variant: `,
      code: variant.code,
      suffix: `, assign(v) { ${names.map((n) => `${n} = v.${n};`).join(' ')} } }; })`,
      anchors: variant.anchors,
    },
    FILE,
    'ferry://restored/frame-0.js',
  );
  const made = new Script(laid.text(), { filename: laid.name }).runInThisContext()();
  made.assign(values);
  return made.variant as (this: unknown, $ferry: object) => unknown;
}

describe('a resumed frame laid out in its file', () => {
  const layout = new VariantLayout();
  const innermost = generateResumeVariant({ source: SOURCE, location: locate('const error'), role: 'innermost' });
  const caller = generateResumeVariant({ source: SOURCE, location: locate('inner(doubled)'), role: 'caller' });
  const innerFn = compiled(layout, innermost, { value: 8, made: { value: 8 }, error: undefined });
  const outerFn = compiled(layout, caller, { n: 4, doubled: 8, lines: undefined });

  it('throws and traces from the line and column of the original statement', () => {
    const stack = innerFn.call(undefined, { blocks: [], loops: [] }) as string;
    assert.match(stack.split('\n')[1], new RegExp(`\\(${written('new Error')}\\)$`));
  });

  it('shows a caller at its pending call, the inner frame called bound beneath it', () => {
    const inner = innerFn.bind(undefined, { blocks: [], loops: [] });
    const [stack] = outerFn.call(undefined, { blocks: [], loops: [], inner }) as [string];
    const frames = stack.split('\n').slice(1, 3);
    assert.match(frames[0], new RegExp(`\\(${written('new Error')}\\)$`));
    assert.match(frames[1], new RegExp(`\\(${written('inner(doubled)')}\\)$`));
  });

  it('past its padding budget keeps a name of its own rather than wrong lines in the file', () => {
    const tight = new VariantLayout();
    const huge = { ...innermost, anchors: innermost.anchors.map((a) => ({ ...a, line: a.line + 2 ** 25 })) };
    const laid = tight.layOut(
      { prefix: '(', code: huge.code, suffix: ')', anchors: huge.anchors },
      FILE,
      'ferry://x.js',
    );
    assert.equal(laid.name, 'ferry://x.js');
    assert.ok(laid.text().length < 2 * huge.code.length + 100);
  });
});
