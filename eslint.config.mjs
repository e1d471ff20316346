import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** DESIGN.md section 1 made mechanical: which room may import which. */
const room = (name) => new RegExp(`(^|/)lib/${name}(/|$)|^\\.\\./${name}(/|$)`).source;
const forbid = (names, why) => ({
  'no-restricted-imports': [
    'error',
    { patterns: names.map((name) => ({ regex: typeof name === 'string' && !name.startsWith('^') ? room(name) : name, message: why })) },
  ],
});
const FRAMEWORKS = '^(next|react|react-dom)(/|$)';

export default tseslint.config(
  { ignores: ['node_modules/', '.next/', 'dist/', 'next-env.d.ts', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['lib/protocol/**'],
    rules: forbid(['core', 'server', 'client', FRAMEWORKS], 'lib/protocol holds wire schemas only and imports nothing of ours.'),
  },
  {
    files: ['lib/core/**'],
    rules: forbid(['server', 'client', FRAMEWORKS], 'lib/core is plain Node: no Next, no React, no HTTP layer.'),
  },
  {
    files: ['lib/client/**'],
    rules: forbid(['core', 'server'], 'lib/client speaks HTTP only; it never reaches into the server process.'),
  },
  {
    files: ['cli/**'],
    rules: forbid(['core', 'server'], 'The CLI goes through lib/client and the HTTP API, never lib/core or lib/server.'),
  },
  {
    files: ['app/**'],
    ignores: ['app/api/**'],
    rules: forbid(['core', 'server'], 'The web bundle must never pull in lib/core or lib/server (child processes, sqlite).'),
  },
  {
    files: ['app/api/**'],
    rules: forbid(['core'], 'Route handlers reach the core only through the runtime accessor in lib/server.'),
  },
);
