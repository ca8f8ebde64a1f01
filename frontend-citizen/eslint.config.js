import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const crossFeature = (patterns) => ({
  'no-restricted-imports': [
    'error',
    { patterns: [{ group: patterns, message: 'No imports across features: move shared code out of src/features/.' }] },
  ],
});

export default tseslint.config(
  { ignores: ['dist/', 'src/client/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  // A feature may use shared code (src/…) and itself, but not another feature.
  { files: ['src/features/*/*.{ts,tsx}'], rules: crossFeature(['../*/**', '!../../**']) },
  { files: ['src/features/*/*/*.{ts,tsx}'], rules: crossFeature(['../../*/**', '!../../../**']) },
);
