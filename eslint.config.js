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

const APP_PATTERN = { group: ['**/app/**', '../app', '../../app'], message: 'src/app is the shell that composes pages; shared state lives in src/state.' };
const ONNXRUNTIME = [
  { group: ['onnxruntime-web', 'onnxruntime-web/*', 'onnxruntime-node', 'onnxruntime-node/*'], message: 'One module owns onnxruntime (workers/runtime); pages call a worker through src/workers-client.' },
];
// What src/core may not import: it runs unchanged in Node (the CLI) and in the workers,
// and every other layer builds on it, never the other way round.
const CORE_PATTERNS = [
  { group: ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', '@tanstack/*', '@mantine/*', 'idb', 'idb/*'], message: 'src/core is pure logic: UI, stores and storage live in src/features, src/state, src/storage and src/ui.' },
  { group: ['comlink', 'onnxruntime-web', 'onnxruntime-web/*', 'onnxruntime-node', 'onnxruntime-node/*'], message: 'src/core runs models through the injected Runner (src/core/runner.ts); workers/ and cli/ own comlink and onnxruntime.' },
  { group: ['node:*'], message: 'src/core runs in workers too: Node I/O belongs to cli/ (pass bytes or an injected function in).' },
  {
    group: ['**/features/**', '**/state/**', '**/storage/**', '**/ui/**', '**/app/**', '**/workers-client/**', '**/workers/**', '**/cli/**', '../app', '../../app'],
    message: 'src/core is the bottom layer: pages, stores, storage, UI, the app shell, workers and the CLI import it, never the other way round.',
  },
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
    // The app shell (src/app) composes the pages; pages, shared stores and storage never import
    // it back. State that several pages share lives in src/state.
    files: ['src/state/**/*.{ts,tsx}', 'src/storage/**/*.ts', 'src/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...WORKER_PATTERNS, APP_PATTERN], paths: STYLE_WRITING }],
    },
  },
  {
    // Pages also never run models themselves: one module owns onnxruntime (workers/runtime).
    files: ['src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...WORKER_PATTERNS, APP_PATTERN, ...ONNXRUNTIME], paths: STYLE_WRITING }],
    },
  },
  {
    // src/core is pure (tsconfig.core.json checks its globals): no UI, state, worker,
    // runtime or Node I/O, and no path into the layers that use it. Its tests and fixture
    // scripts are the Node host that drives it with real models and files, so they may.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts', 'src/core/**/fixtures/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: CORE_PATTERNS }],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
