import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'src/client/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    files: ['src/features/*/**/*.{ts,tsx}'],
    rules: {
      // A feature may use shared code but not another feature.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../*/**', '!../../../**'], message: 'No imports across features.' }] },
      ],
    },
  },
);
