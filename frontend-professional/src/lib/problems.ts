// Reading the backend's problem+json answers for forms: field-level errors (422), stale
// versions (412) and the ETag a resource was loaded with.
import i18next from 'i18next';
import { ApiError } from '@shared/lib/http';

export interface FieldErrorsResult {
  /** Errors for fields the form knows, keyed by that field's name. */
  byField: Record<string, string>;
  /** Errors the form has no field for (shown in the error summary only). */
  other: string[];
}

/**
 * Maps a 422 problem's `errors: [{field, message}]` onto the form's fields. A server field
 * like "mappings.0.lab_code" goes to the longest known field it starts with ("mappings").
 */
export function fieldErrorsOf(error: unknown, known: readonly string[]): FieldErrorsResult {
  const result: FieldErrorsResult = { byField: {}, other: [] };
  if (!(error instanceof ApiError) || error.status !== 422) return result;
  for (const item of error.problem?.errors ?? []) {
    const field = String(item.field ?? '');
    const match = [...known]
      .sort((a, b) => b.length - a.length)
      .find((k) => field === k || field.startsWith(`${k}.`));
    const message = wordingOf(item.code, item.message);
    if (match) {
      result.byField[match] = result.byField[match] ? `${result.byField[match]} ${message}` : message;
    } else {
      result.other.push(field ? `${field}: ${message}` : message);
    }
  }
  return result;
}

/**
 * The user's language for a server field error, chosen by its stable `code` (pydantic's error
 * types and the service's own rule names); rules without a text of ours keep the server's words.
 */
export function wordingOf(code: string | undefined, message: string): string {
  const key = `fieldErrors.${code ?? ''}`;
  // The key is built from the server's code, so it is checked at run time, not by the types.
  return code && i18next.exists(key) ? String(i18next.t(key as 'fieldErrors.required')) : message;
}

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
