import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { noRawPalette } from './scripts/lint/no-raw-palette.mjs';

const TYPED = ['{lib,app,cli,tests}/**/*.{ts,tsx}'];
const TESTS = ['tests/**/*.{ts,tsx}'];

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
  {
    // Type-aware rules: one project service over tsconfig.json for the TypeScript of every room
    // and the tests; config files and scripts keep the syntax-only rules above.
    files: TYPED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
    },
  },
  {
    // Tests read JSON answers, frames and files they then assert on with expect(): an `any` there
    // is checked by the assertion that follows, and typing every probe would add casts, not safety.
    // Floating promises still apply: an un-awaited expectation passes whatever happens.
    files: TESTS,
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The primitives are where the tokens become classes; everything else uses them.
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/_components/ui/**'],
    plugins: { vibes: { rules: { 'no-raw-palette': noRawPalette } } },
    rules: { 'vibes/no-raw-palette': 'error' },
  },
);
