import type { getSession } from '../client/sdk.gen';

/** Derived from the generated client so that a renamed schema does not break the app. */
export type SessionInfo = Awaited<ReturnType<typeof getSession<true>>>['data'];
