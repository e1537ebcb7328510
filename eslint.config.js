// JS lint for the page (www/) and the browser tests (tests/): ESLint's
// recommended rules, run by scripts/test. Pinned in package.json.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/**', 'dist.tmp/**', 'fuzz/target/**', 'node_modules/**', 'tests/bench/node_modules/**', 'target/**', 'www/pkg-*/**'] },
  js.configs.recommended,
  {
    files: ['www/**/*.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ['www/sw.js', 'www/js/coi.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, ...globals.serviceworker } },
  },
  {
    files: ['tests/**/*.mjs', 'tests/**/*.js', 'eslint.config.js', 'scripts/**/*.mjs'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
  },
  { rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] } },
];
