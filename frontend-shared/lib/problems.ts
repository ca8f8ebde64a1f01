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
