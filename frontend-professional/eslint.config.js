import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { baseConfig } from '../frontend-shared/eslint.base.js';

// The rules are shared with the other app (../frontend-shared/eslint.base.js); `npm run lint`
// also lints ../frontend-shared with them.
export default baseConfig({ js, reactHooks, tseslint });
