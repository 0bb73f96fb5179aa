// Lint rules for Ferry's own code. The programs Ferry checkpoints in tests are left as users wrote them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.e2e/',
      '.node-versions/',
      'examples/',
      'bench/workload/',
      'test/conformance/corpus/',
      'test/conformance/here-corpus/',
      'test/conformance/libraries/',
      'test/conformance/node-versions/',
      'test/resume/corpus/',
      'test/resume/probe/',
      'test/dap/fixtures/',
      'test/remote/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
);
