import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, TextField, formErrors } from '@shared/forms';
import { looksLikePersonnummer } from '../lib/format';

interface Props {
  id: string;
  label: string;
  submitLabel: string;
  busy: boolean;
  /** The server's answer to the last search (its 422 names the personnummer). */
  serverError: unknown;
  onSearch: (personnummer: string) => void;
}

/**
 * A search by personnummer: checked here before it is sent (empty, not a personnummer), the
 * server's field error shown at the field. The number goes in a POST body, never in a URL.
 */
export function PersonnummerSearchForm({ id, label, submitLabel, busy, serverError, onSearch }: Props) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const errors = formErrors({
    fields: ['personnummer'] as const,
    labels: { personnummer: label },
    idOf: () => id,
    client: { personnummer: clientError },
    server: serverError,
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const personnummer = value.trim();
    if (!personnummer) return setClientError(t('personSearch.required'));
    if (!looksLikePersonnummer(personnummer)) return setClientError(t('personSearch.invalid'));
    setClientError(undefined);
    onSearch(personnummer);
  };

  return (
    <form className="search-form" noValidate onSubmit={onSubmit}>
      <ErrorSummary items={errors.summary} focusKey={attempt} />
      <TextField
        id={id}
        label={label}
        hint={t('personSearch.hint')}
        value={value}
        onChange={setValue}
        error={errors.byField.personnummer}
        autoComplete="off"
        inputMode="numeric"
        required
      />
      <button type="submit" className="button button--primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
