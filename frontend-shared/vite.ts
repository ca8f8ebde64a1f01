// What both apps' vite.config.ts share. Plain objects only, so that this module stays a
// dependency-free import of the apps' configs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder (the workspace package @egen-provhantering/shared), imported by the apps as '@shared/…'. */
export const sharedDir = dirname(fileURLToPath(import.meta.url));

/** The npm workspace root: its node_modules holds the packages of both apps and this one. */
const workspaceRoot = dirname(sharedDir);

/**
 * The '@shared' alias; the packages shared code imports are deduplicated so that there is one
 * React, one i18next instance and one QueryClient context per app.
 */
export const sharedResolve = {
  alias: { '@shared': sharedDir },
  dedupe: ['react', 'react-dom', 'react-router', 'i18next', 'react-i18next', '@tanstack/react-query', 'axe-core'],
};

/** What the dev server may serve: the app, this folder and the workspace's node_modules. */
export function devServerFiles(appDir: string): string[] {
  return [appDir, sharedDir, join(workspaceRoot, 'node_modules')];
}

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
