// The one generated API client of both apps (`client/`, not checked in), from the OpenAPI
// document the backend writes (`openapi/openapi.json` at the repo root). OPENAPI_INPUT lets a
// developer try generation against another file. Paths are absolute so that generation works
// whichever folder `openapi-ts -f` is run from.
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default {
  input: process.env.OPENAPI_INPUT ?? here('../openapi/openapi.json'),
  output: { path: here('./client') },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
};
