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
      'test/conformance/heldout/',
      'test/conformance/node-versions/',
      'test/resume/corpus/',
      'test/resume/probe/',
      'test/dap/fixtures/',
      'test/format/fixtures/',
      'test/remote/fixtures/',
      'test/live/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // CommonJS as VS Code's extension host and worker threads load it.
    files: ['**/*.cjs', 'test/e2e/ext-host/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.mocha } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Functions passed to page.evaluate() run in the browser.
    files: ['test/e2e/ui-test.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
