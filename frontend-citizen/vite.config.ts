/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { backendProxy, devServerFiles, sharedResolve, vitestConfig } from '../frontend-shared/vite';

// Code both apps use lives in the workspace package ../frontend-shared (see its README), imported as '@shared/…'.
export default defineConfig({
  plugins: [react()],
  resolve: sharedResolve,
  base: '/',
  build: {
    outDir: 'dist',
    rollupOptions: {
      output: {
        // Libraries change less often than the app: a chunk of their own caches longer.
        manualChunks: (id) => (id.includes('node_modules') ? 'vendor' : undefined),
      },
    },
  },
  server: {
    port: 5173,
    fs: { allow: devServerFiles(import.meta.dirname) },
    proxy: backendProxy,
  },
  test: vitestConfig,
});
