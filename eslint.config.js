import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'artifacts', 'coverage', 'test-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only src/config.ts reads the environment (STYLE.md rule 6).
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read config through src/config.ts' },
      ],
    },
  },
  {
    files: ['src/config.ts', 'scripts/**', 'bench/**', 'test/**', 'bin/**', 'sandbox/sandbox.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Browser scripts served to pages (progressive enhancement).
    files: ['src/web/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        document: 'readonly',
        window: 'readonly',
        navigator: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        Element: 'readonly',
      },
    },
  },
  {
    // Routes go through repositories and services, never straight to the database.
    files: ['src/**/*.routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['kysely'], message: 'Routes call services or repositories, not the database.' },
          ],
        },
      ],
    },
  },
);
