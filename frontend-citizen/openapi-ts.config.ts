import { defineConfig } from '@hey-api/openapi-ts';

// The OpenAPI document is written by the backend (`openapi/openapi.json` at the repo root).
// OPENAPI_INPUT lets a developer try generation against another file.
export default defineConfig({
  input: process.env.OPENAPI_INPUT ?? '../openapi/openapi.json',
  output: { path: 'src/client' },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
});
