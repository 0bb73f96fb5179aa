// The fidelity oracle for Checkpoint Here over the resume corpus (test/resume/corpus, and
// here-corpus/): every `// @bp HITS` marker checkpointed through the `ferry` CLI and restored,
// compared with one uninterrupted run (test/helpers/here-oracle.ts). On another Node with
// FERRY_TEST_NODE (test/helpers/oracle.ts PROGRAM_NODE): the program, the CLI and the restore all run on it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertSameAtEachPoint, herePointsOf } from '../helpers/here-oracle';

// The resume engine's corpus, and programs only the whole core can resume (concurrent async work).
const corpora = [join(__dirname, '../resume/corpus'), join(__dirname, 'here-corpus')];
const programs = corpora.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /\.m?js$/.test(f))
    .sort()
    .map((file) => ({ file, program: join(dir, file) })),
);

describe('Checkpoint Here: fidelity oracle over the resume corpus', { concurrency: 2 }, () => {
  for (const { file, program } of programs) {
    const points = herePointsOf(program);
    if (points.length === 0) continue;
    // A bound, so that a hang fails the test instead of holding up the whole run.
    it(`${file} (${points.join(', ')})`, { timeout: 240_000 }, () => assertSameAtEachPoint(program));
  }
});
