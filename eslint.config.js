import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Import rules for src/ (the layering of issue 21, and the stylesheet rule of the CSP).
const WORKER_PATTERNS = [
  { group: ['comlink'], message: 'Call workers through src/workers-client; it owns the wire protocol.' },
  { group: ['**/workers/**'], message: 'Types that cross the worker boundary live in src/contracts; workers are reached through src/workers-client.' },
];
// These Mantine components write a <style> element at run time, which the Content-Security-Policy
// (style-src 'self') refuses; use Group/Stack and the layout classes in src/ui/ui.css instead.
const STYLE_WRITING = [
  { name: '@mantine/core', importNames: ['Flex', 'Grid', 'SimpleGrid', 'AppShell', 'ColorSchemeScript', 'InlineStyles'], message: 'It writes an inline <style>, which the CSP refuses: use Group/Stack or src/ui/ui.css.' },
];

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'test-results', 'playwright-report', 'training', '.pack', '.runs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Pages, stores and core never speak the worker wire protocol or reach into workers/:
    // they call src/workers-client (the bridge factory) and share types via src/contracts.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/workers-client/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: WORKER_PATTERNS, paths: STYLE_WRITING }],
    },
  },
  {
    // The app shell (src/app) composes the pages; pages, shared stores and core never import
    // it back. State that several pages share lives in src/state.
    files: ['src/features/**/*.{ts,tsx}', 'src/state/**/*.{ts,tsx}', 'src/core/**/*.ts', 'src/storage/**/*.ts', 'src/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [...WORKER_PATTERNS, { group: ['**/app/**', '../app', '../../app'], message: 'src/app is the shell that composes pages; shared state lives in src/state.' }],
        paths: STYLE_WRITING,
      }],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
