import { ApiError } from '@shared/lib/http';

export { problemSlug } from '@shared/lib/problems';

/** Field errors of a 422 problem: server field name → server message (first one wins). */
export function serverFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  const result: Record<string, string> = {};
  for (const item of error.problem?.errors ?? []) {
    if (!(item.field in result)) result[item.field] = item.message;
  }
  return result;
}

/** Field errors of a 422 problem: server field name → the rule's stable code (first wins). */
export function serverFieldCodes(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  const result: Record<string, string> = {};
  for (const item of error.problem?.errors ?? []) {
    if (!(item.field in result)) result[item.field] = item.code ?? 'invalid';
  }
  return result;
}

/** True when the request never got an HTTP answer (offline, connection dropped, timeout). */
export function isNetworkError(error: unknown): boolean {
  return error instanceof Error && !(error instanceof ApiError);
}
