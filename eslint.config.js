// Lint rules; the import restriction keeps the domain (src/) pure: functions → lib → src only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '.serverless',
      '.esbuild',
      '.local',
      'coverage',
      'bench/results',
      'test-output',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // CommonJS build helpers (serverless-esbuild loads its plugins with require).
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', 'aws-lambda', '@middy/*', '@aws-lambda-powertools/*'],
              message:
                'src/ is the pure domain: no AWS or Lambda code here (put adapters in lib/).',
            },
            {
              group: ['**/lib/*', '**/lib', '**/functions/*', '**/functions'],
              message:
                'Dependencies flow functions → lib → src; src/ never imports lib/ or functions/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        {
          name: 'process',
          message: 'src/ reads no environment: configuration is passed in from lib/config.ts.',
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Inject a Clock instead of Date.now() in src/.',
        },
        { object: 'Math', property: 'random', message: 'Inject randomness in src/.' },
      ],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/functions/*', '**/functions'],
              message: 'lib/ never imports functions/.',
            },
          ],
        },
      ],
    },
  },
);
