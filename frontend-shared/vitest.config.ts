/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { sharedResolve } from './vite';

// The tests of this package's own pieces (`npm test` here); the apps' tests cover how they use them.
export default defineConfig({
  plugins: [react()],
  resolve: sharedResolve,
  test: {
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
