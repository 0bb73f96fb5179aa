// Places in a script's text, as the controller's analysis gives them and V8 reports a function's
// location: 0-based lines and columns.

/** From and to (line, column), the end excluded. */
export type Span = [number, number, number, number];

/** A variable a closure assigns (capture/closure-assignments.ts): its name and the span of the scope declaring it. */
export interface ClosureAssigned {
  name: string;
  scope: Span;
}

/** Whether a function starting at (line, column) lies in the span. */
export function spans(span: Span, line: number, column: number): boolean {
  const [fromLine, fromColumn, toLine, toColumn] = span;
  const afterStart = line > fromLine || (line === fromLine && column >= fromColumn);
  const beforeEnd = line < toLine || (line === toLine && column < toColumn);
  return afterStart && beforeEnd;
}

/** The spans of each name's declaring scopes. */
export function spansByName(list: ClosureAssigned[]): Map<string, Span[]> {
  const byName = new Map<string, Span[]>();
  for (const { name, scope } of list) {
    const spansOfName = byName.get(name);
    if (spansOfName) spansOfName.push(scope);
    else byName.set(name, [scope]);
  }
  return byName;
}
