// The ESLint rules of both apps. This folder has no node_modules, so each app's
// eslint.config.js passes in the plugins it has installed.

const crossFeature = (patterns) => ({
  'no-restricted-imports': [
    'error',
    { patterns: [{ group: patterns, message: 'No imports across features: move shared code out of src/features/.' }] },
  ],
});

export function baseConfig({ js, reactHooks, tseslint }) {
  return tseslint.config(
    { ignores: ['**/dist/', '**/client/', '**/node_modules/'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    reactHooks.configs.flat.recommended,
    // A feature may use shared code (src/…) and itself, but not another feature.
    { files: ['src/features/*/*.{ts,tsx}'], rules: crossFeature(['../*/**', '!../../**']) },
    { files: ['src/features/*/*/*.{ts,tsx}'], rules: crossFeature(['../../*/**', '!../../../**']) },
  );
}
