// Reading the backend's problem+json answers: statuses, stale versions (412/428) and the ETag a
// resource was loaded with. Field errors (422) are mapped by @shared/forms.
import { ApiError } from '@shared/lib/http';

export function hasStatus(error: unknown, ...statuses: number[]): boolean {
  return error instanceof ApiError && statuses.includes(error.status);
}

/** 412: someone else saved a newer version; 428: the version was not sent. Both mean "reload". */
export function isStaleVersion(error: unknown): boolean {
  return hasStatus(error, 412, 428);
}

/** The ETag header of a response ('"3"'), as it must be sent back in If-Match. */
export function etagOf(response: Response | undefined, fallbackVersion?: number): string | undefined {
  const header = response?.headers.get('ETag');
  if (header) return header;
  return fallbackVersion === undefined ? undefined : `"${fallbackVersion}"`;
}
