// Fidelity oracle over the resume corpus: each program is paused at its `// @bp` points, every
// live frame is restored through its resume variant in a fresh node, and the output must equal
// one uninterrupted run, byte for byte.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkProgram } from './harness/oracle';

const dir = join(__dirname, 'corpus');
const programs = readdirSync(dir)
  .filter((f) => f.endsWith('.js') && !f.startsWith('.'))
  .sort();

describe('resume corpus (fidelity oracle)', { concurrency: 2 }, () => {
  for (const name of programs) {
    test(name, async () => {
      const { run, verdicts } = await checkProgram(join(dir, name));
      assert.equal(run.stderr, '', 'the uninterrupted run wrote to stderr');
      assert.ok(verdicts.length > 0, 'no pause points');
      const failures = verdicts.filter((v) => !v.ok).map((v) => `line ${v.point.line} hit ${v.point.hit}: ${v.detail}`);
      assert.deepEqual(failures, []);
    });
  }
});
