// A variant's code keeps the program's own text for what the rewrite left untouched, and anchors
// each of the program's nodes at the line and column it had, for the restore to pad to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateResumeVariant, type ResumeVariant } from './index';

function locate(source: string, marker: string): { line: number; column: number } {
  const before = source.slice(0, source.indexOf(marker)).split('\n');
  return { line: before.length - 1, column: before[before.length - 1].length };
}

/** Runs the variant in a scope declaring its function-level bindings, as the restore does. */
function run(variant: ResumeVariant, values: Record<string, unknown>, $ferry: object): unknown {
  const names = variant.functionBindings.map((b) => b.name);
  const made = new Function(...names, `return ${variant.code};`)(...names.map((n) => values[n]));
  return (made as (this: unknown, $ferry: object) => unknown).call(undefined, $ferry);
}

const LOOP = `function sum(list) {
  let out = 0
  for (let i = 0; i < list.length; i++) {
    out += list[i]
    if (out > 100) out = -out
  }
  const report = [ out,
      'items' ]
  return (
    arguments.length && report)
}`;

describe('a variant written with the program text', () => {
  const variant = generateResumeVariant({ source: LOOP, location: locate(LOOP, 'out += list'), role: 'innermost' });

  it('writes untouched statements as they are, line breaks and spacing included', () => {
    assert.ok(variant.code.includes(`[ out,\n      'items' ]`), variant.code);
    assert.ok(variant.code.includes('if (out > 100) out = -out'), variant.code);
  });

  it('ends a statement written without its semicolon before the code after it', () => {
    const $ferry = { blocks: variant.blocks.map((slot) => (slot.names.includes('i') ? { i: 1 } : {})), loops: [] };
    assert.deepEqual(
      run(variant, { list: [1, 2, 3, 4], out: 1, report: undefined, $ferryArguments: [[1, 2, 3, 4]] }, $ferry),
      [10, 'items'],
    );
  });

  it('anchors the program nodes at their lines and columns, in the order the code holds them', () => {
    const at = (marker: string) => variant.anchors.find((a) => variant.code.startsWith(marker, a.offset));
    assert.deepEqual(at('out += list'), {
      ...locate(LOOP, 'out += list'),
      offset: at('out += list')!.offset,
      breakable: true,
    });
    assert.deepEqual(
      variant.anchors.map((a) => a.offset),
      variant.anchors.map((a) => a.offset).sort((a, b) => a - b),
    );
  });

  it('never lets a line break follow `return`, where it would end the statement', () => {
    const argument = variant.anchors.find((a) => variant.code.startsWith('$ferryArguments', a.offset))!;
    assert.deepEqual([argument.line, argument.column, argument.breakable], [9, 4, false]);
  });
});

describe("a caller's pending call", () => {
  const source = `function outer(n) {
  const doubled = n * 2;
  return [inner(doubled), 'tail'];
}`;
  const variant = generateResumeVariant({ source, location: locate(source, 'inner('), role: 'caller' });

  it('is a plain call anchored where V8 located the original one', () => {
    const anchor = variant.anchors.find((a) => variant.code.startsWith('$ferryInner()', a.offset));
    assert.deepEqual(anchor && { line: anchor.line, column: anchor.column }, locate(source, 'inner('));
    assert.deepEqual(run(variant, { n: 3, doubled: 6 }, { blocks: [], loops: [], inner: () => 'in' }), ['in', 'tail']);
  });
});
