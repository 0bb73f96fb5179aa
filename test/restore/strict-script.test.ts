// isStrictScript reads a script's directive prologue: right on the forms a prologue takes, and linear
// by construction (the regex it replaced backtracked for a minute on lodash.js). The big inputs are
// scanned in a worker given a minute: a linear scan of 5 MB takes milliseconds even on a machine
// loaded twenty times over, a quadratic one days, so the bound tells them apart and is no timing margin.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import assert from 'node:assert/strict';
import { isStrictScript } from '../../snapshot/restore/function-source';

const FIVE_MB = 5 * 1024 * 1024;
/** Counted from when the worker has loaded: tsx's compile at load 23 took seconds of the old 5 s bound. */
const BOUND_MS = 60_000;

/** isStrictScript of each source, in a worker ended once it has scanned for BOUND_MS. */
async function scanBounded(sources: string[]): Promise<boolean[]> {
  const worker = new Worker(join(__dirname, '..', 'helpers', 'strict-scan-worker.cjs'), { workerData: sources });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<boolean[]>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: 'ready' | boolean[]) => {
        if (message !== 'ready') return resolve(message);
        timer = setTimeout(() => reject(new Error(`not done within ${BOUND_MS} ms: the scan is not linear`)), BOUND_MS);
      });
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

describe('isStrictScript', () => {
  it('finds "use strict" after comments, a hashbang and other directives', () => {
    assert.equal(isStrictScript(`'use strict';\nmodule.exports = 1;`), true);
    assert.equal(isStrictScript(`"use strict"`), true);
    assert.equal(isStrictScript(`#!/usr/bin/env node\n/* a\n */ // b\n'use strict'`), true);
    assert.equal(isStrictScript(`'use asm'; "other"\n'use strict'\nx()`), true);
    assert.equal(isStrictScript(`\uFEFF  'use strict'}`), true);
  });

  it('is not fooled by what only looks like the directive', () => {
    assert.equal(isStrictScript(`x = 1; 'use strict';`), false);
    assert.equal(isStrictScript(`'use strict'.length;`), false);
    assert.equal(isStrictScript(`'use strict'\n.length;`), false);
    assert.equal(isStrictScript(`'use strict'\n+ 1;`), false);
    assert.equal(isStrictScript(`'use strict'\ninstanceof X;`), false);
    assert.equal(isStrictScript(`'use\\x20strict';`), false);
    assert.equal(isStrictScript(`'use strict";`), false);
    assert.equal(isStrictScript(`'a' 'use strict';`), false);
    assert.equal(isStrictScript(`/* 'use strict'; */ f();`), false);
    assert.equal(isStrictScript(`/* unterminated 'use strict'`), false);
    assert.equal(isStrictScript(''), false);
  });

  it('reads lodash.js (not strict) at once', async () => {
    const lodash = readFileSync(join(__dirname, '..', '..', 'node_modules', 'lodash', 'lodash.js'), 'utf8');
    assert.deepEqual(await scanBounded([lodash]), [false]);
  });

  it('handles 5 MB of adversarial comments and directives in linear time', async () => {
    // Many comments each closed further on: what made the old regex try every closing `*/` in turn.
    const comments = '/* a */\n// b\n'.repeat(FIVE_MB / 13);
    const sources = [
      `${comments};`,
      `${comments}'use strict'`,
      `/*${' */ x '.repeat(FIVE_MB / 6)}`,
      `${"'x';\n".repeat(FIVE_MB / 5)}'use strict'`,
      `'${'\\\\'.repeat(FIVE_MB / 2)}`,
    ];
    assert.deepEqual(await scanBounded(sources), [false, true, false, true, false]);
  });
});
