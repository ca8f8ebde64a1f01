import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Field } from '@shared/forms';
import { looksLikePersonnummer } from '../../../lib/format';
import { hasStatus } from '../../../lib/problems';

interface Props {
  initial: string;
  searching: boolean;
  /** The last search's error: 422 (invalid number) and 404 (not in the register) go to the field. */
  error: unknown;
  onSearch: (personnummer: string) => void;
}

export const PERSONNUMMER_FIELD_ID = 'assign-personnummer';

export function PatientSearchForm({ initial, searching, error, onSearch }: Props) {
  const { t } = useTranslation();
  const [value, setValue] = useState(initial);
  const [clientError, setClientError] = useState<string | null>(null);

  const serverError = hasStatus(error, 422)
    ? t('assign.invalidPersonnummer')
    : hasStatus(error, 404)
      ? t('assign.personNotFound')
      : null;
  const fieldError = clientError ?? serverError ?? undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    if (!trimmed) {
      setClientError(t('assign.personnummerRequired'));
      return;
    }
    if (!looksLikePersonnummer(trimmed)) {
      setClientError(t('assign.invalidPersonnummer'));
      return;
    }
    setClientError(null);
    onSearch(trimmed);
  };

  return (
    <form onSubmit={submit} noValidate className="search-form" aria-label={t('assign.searchForm')}>
      <ErrorSummary
        items={fieldError ? [{ target: PERSONNUMMER_FIELD_ID, message: fieldError }] : []}
      />
      <Field
        id={PERSONNUMMER_FIELD_ID}
        label={t('assign.personnummer')}
        hint={t('assign.personnummerHint')}
        helpKey="assign.personnummer"
        error={fieldError}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            className="input input--medium"
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="button button--primary" disabled={searching}>
        {searching ? t('assign.searching') : t('assign.search')}
      </button>
    </form>
  );
}
