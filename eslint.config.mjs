import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Which room may import which (docs/architecture.md) is checked by dependency-cruiser:
// .dependency-cruiser.mjs and .dependency-cruiser-bundle.mjs, both run by `npm run lint`.
export default tseslint.config(
  { ignores: ['node_modules/', '.next/', 'dist/', 'next-env.d.ts', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
