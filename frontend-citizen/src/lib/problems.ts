import { ApiError } from './http';

const PROBLEM_PREFIX = '/problems/';

/** The problem type's slug ("slot-not-available" for "/problems/slot-not-available"), if any. */
export function problemSlug(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const type = error.problem?.type;
  if (!type) return null;
  const at = type.lastIndexOf(PROBLEM_PREFIX);
  return at >= 0 ? type.slice(at + PROBLEM_PREFIX.length) : type;
}

/** Field errors of a 422 problem: server field name → server message (first one wins). */
export function serverFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  const result: Record<string, string> = {};
  for (const item of error.problem?.errors ?? []) {
    if (!(item.field in result)) result[item.field] = item.message;
  }
  return result;
}

/** True when the request never got an HTTP answer (offline, connection dropped, timeout). */
export function isNetworkError(error: unknown): boolean {
  return error instanceof Error && !(error instanceof ApiError);
}
