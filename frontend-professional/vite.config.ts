/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { backendProxy, devServerFiles, sharedResolve, vitestConfig } from '../frontend-shared/vite';

// Code both apps use lives in the workspace package ../frontend-shared (see its README), imported as '@shared/…'.
export default defineConfig({
  plugins: [react()],
  resolve: sharedResolve,
  base: '/pro/',
  build: { outDir: 'dist' },
  server: {
    port: 5174,
    fs: { allow: devServerFiles(import.meta.dirname) },
    proxy: backendProxy,
  },
  test: vitestConfig,
});
