import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench-out/', 'reports/', '.stryker-tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        AbortSignal: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The runner reads every raw line the Action prints for workflow commands: plain lines go
    // through actions-log.ts, which makes them inert. The CLI prints to a terminal instead.
    files: ['src/**/*.ts'],
    ignores: ['src/adapters/actions-log.ts', 'src/cli.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'core',
          property: 'info',
          message: 'Print plain lines with logLine (adapters/actions-log.ts).',
        },
        { object: 'core', property: 'startGroup', message: 'Use core.group, through actionsLog.' },
        {
          object: 'process',
          property: 'stdout',
          message: 'Print plain lines with logLine (adapters/actions-log.ts).',
        },
      ],
    },
  },
);
