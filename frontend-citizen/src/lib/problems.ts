import { ApiError } from '@shared/lib/http';

export { problemSlug } from '@shared/lib/problems';

/** True when the request never got an HTTP answer (offline, connection dropped, timeout). */
export function isNetworkError(error: unknown): boolean {
  return error instanceof Error && !(error instanceof ApiError);
}
