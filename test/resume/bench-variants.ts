// Cost of generating resume variants for a 50-frame stack (a measurement, not a test).
// Run: node --import tsx test/resume/bench-variants.ts
import { performance } from 'node:perf_hooks';
import { generateResumeVariant, type FrameRequest } from '../../snapshot/resume/index';

const FRAMES = 50;

/** 50 distinct functions, each paused in a call nested in a loop, a try and a switch. */
function program(salt: string): { source: string; frames: FrameRequest[] } {
  const lines: string[] = [`'use strict'; // ${salt}`];
  const frames: FrameRequest[] = [];
  for (let k = 0; k < FRAMES; k++) {
    lines.push(
      `function f${k}(xs, opts = {}) {`,
      '  let acc = 0;',
      '  outer: for (let i = 0; i < xs.length; i++) {',
      '    const x = xs[i];',
      '    try {',
      '      switch (x % 3) {',
      '        case 0: acc += x; break;',
    );
    const line = lines.length;
    lines.push(
      `        default: acc += ${k + 1 < FRAMES ? `f${k + 1}(xs, opts)` : 'x'}; if (acc > 100) continue outer;`,
    );
    lines.push(
      '      }',
      '    } catch (e) {',
      '      acc = -1;',
      '    } finally {',
      '      acc++;',
      '    }',
      '  }',
      '  return acc;',
      '}',
    );
    frames.push({
      source: '',
      location: { line, column: lines[line].indexOf(k + 1 < FRAMES ? `f${k + 1}(` : 'x;') },
      role: k + 1 < FRAMES ? 'caller' : 'innermost',
    });
  }
  lines.push('console.log(f0([1, 2, 3]));');
  const source = lines.join('\n');
  return { source, frames: frames.reverse().map((f) => ({ ...f, source })) };
}

function time(label: string, run: () => void, repeat = 1): void {
  const start = performance.now();
  for (let i = 0; i < repeat; i++) run();
  console.log(`${label}: ${((performance.now() - start) / repeat).toFixed(2)} ms`);
}

// Warm the JIT once on an unrelated script so the first figure is not module loading.
for (const f of program('warmup').frames) generateResumeVariant(f);
let n = 0;
time(
  `${FRAMES} distinct frames, cold (parse + analyse + generate)`,
  () => {
    for (const f of program(`cold${n++}`).frames) generateResumeVariant(f);
  },
  20,
);
const warm = program('warm').frames;
for (const f of warm) generateResumeVariant(f);
time(
  `${FRAMES} distinct frames, cached`,
  () => {
    for (const f of warm) generateResumeVariant(f);
  },
  200,
);
time(
  `${FRAMES} frames of one recursive function, cold (one generation, ${FRAMES - 1} cache hits)`,
  () => {
    const source = `function r(n) {\n  if (n === 0) return 0;\n  return 1 + r(n - 1);\n}\n// ${n++}`;
    for (let k = 0; k < FRAMES; k++)
      generateResumeVariant({ source, location: { line: 2, column: 13 }, role: 'caller' });
  },
  20,
);
