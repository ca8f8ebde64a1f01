/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const backend = 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  base: '/pro/',
  build: { outDir: 'dist' },
  server: {
    port: 5174,
    proxy: {
      '/api': backend,
      '/auth': backend,
      '/idp': backend,
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
