import { fieldErrorsOf } from '../lib/problems';
import type { SummaryItem } from './Form';

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
