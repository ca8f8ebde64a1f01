// What both apps' vite.config.ts share. Plain objects only: this folder has no node_modules,
// so it cannot import vite itself.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder, imported by the apps as '@shared/…'. */
export const sharedDir = dirname(fileURLToPath(import.meta.url));

/**
 * The '@shared' alias, and the packages shared code imports resolved from the app's own
 * node_modules (one React, one i18next instance, one QueryClient context per app).
 */
export const sharedResolve = {
  alias: { '@shared': sharedDir },
  dedupe: ['react', 'react-dom', 'react-router', 'i18next', 'react-i18next', '@tanstack/react-query', 'axe-core'],
};

/** The dev server proxies the backend's paths to `make run` on :8000. */
const backend = 'http://127.0.0.1:8000';
export const backendProxy = { '/api': backend, '/auth': backend, '/idp': backend };

/** Vitest: jsdom, the app's setup file, mocks and stubbed globals undone after each test. */
export const vitestConfig = {
  environment: 'jsdom',
  setupFiles: ['./src/test/setup.ts'],
  restoreMocks: true,
  unstubGlobals: true,
};
