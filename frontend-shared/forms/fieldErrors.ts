// The server's 422 answers mapped onto a form's fields: `errors: [{field, message, code}]` of a
// problem+json document, worded in the user's language where the app has a text for the code.
import i18next from 'i18next';
import { ApiError } from '../lib/http';
import type { SummaryItem } from './ErrorSummary';

interface ServerFieldError {
  field: string;
  message: string;
  code?: string;
}

function serverErrors(error: unknown): ServerFieldError[] {
  if (!(error instanceof ApiError) || error.status !== 422) return [];
  return error.problem?.errors ?? [];
}

/** Field errors of a 422 problem: server field name → server message (first one wins). */
export function serverFieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of serverErrors(error)) {
    if (!(item.field in result)) result[item.field] = item.message;
  }
  return result;
}

/** Field errors of a 422 problem: server field name → the rule's stable code (first wins; "invalid" without one). */
export function serverFieldCodes(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of serverErrors(error)) {
    if (!(item.field in result)) result[item.field] = item.code ?? 'invalid';
  }
  return result;
}

/**
 * The user's language for a server field error, chosen by its stable `code` (pydantic's error
 * types and the service's own rule names) from the app's `fieldErrors.<code>` texts; rules
 * without a text keep the server's words.
 */
export function wordingOf(code: string | undefined, message: string): string {
  const key = `fieldErrors.${code ?? ''}`;
  // The key is built from the server's code, so it is checked at run time (exists), not by the
  // app's typed keys.
  return code && i18next.exists(key) ? String(i18next.t(key as never)) : message;
}

export interface FieldErrorsResult {
  /** Errors for fields the form knows, keyed by that field's name. */
  byField: Record<string, string>;
  /** Errors the form has no field for (shown in the error summary only). */
  other: string[];
}

/**
 * Maps a 422 problem's errors onto the form's `known` fields. A server field like
 * "mappings.0.lab_code" goes to the longest known field it starts with ("mappings"); several
 * errors of one field are joined.
 */
export function fieldErrorsOf(error: unknown, known: readonly string[]): FieldErrorsResult {
  const result: FieldErrorsResult = { byField: {}, other: [] };
  const longestFirst = [...known].sort((a, b) => b.length - a.length);
  for (const item of serverErrors(error)) {
    const field = String(item.field ?? '');
    const match = longestFirst.find((k) => field === k || field.startsWith(`${k}.`));
    const message = wordingOf(item.code, item.message);
    if (match) {
      result.byField[match] = result.byField[match] ? `${result.byField[match]} ${message}` : message;
    } else {
      result.other.push(field ? `${field}: ${message}` : message);
    }
  }
  return result;
}

export interface FormErrors<F extends string> {
  byField: Partial<Record<F, string>>;
  summary: SummaryItem[];
}

/**
 * Combines the client's own checks with the server's field errors (client first: they are
 * what the user just did wrong). `fields` gives the order of the summary; `idOf` the element
 * each summary link moves to.
 */
export function formErrors<F extends string>(options: {
  fields: readonly F[];
  labels: Record<F, string>;
  idOf: (field: F) => string;
  client: Partial<Record<F, string>>;
  server: unknown;
}): FormErrors<F> {
  const { fields, labels, idOf, client, server } = options;
  const fromServer = fieldErrorsOf(server, fields);
  const byField: Partial<Record<F, string>> = {};
  for (const field of fields) {
    const message = client[field] ?? fromServer.byField[field];
    if (message) byField[field] = message;
  }
  const summary: SummaryItem[] = fields
    .filter((f) => byField[f])
    .map((f) => ({ target: idOf(f), message: `${labels[f]}: ${byField[f]}` }));
  const hasClient = Object.values(client).some(Boolean);
  if (!hasClient) summary.push(...fromServer.other.map((message) => ({ message })));
  return { byField, summary };
}
