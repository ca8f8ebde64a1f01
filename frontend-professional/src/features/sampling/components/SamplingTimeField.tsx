import { useTranslation } from 'react-i18next';
import { Field } from '@shared/forms';

/**
 * Now, as a datetime-local value in the browser's time zone, to the second: an order placed a
 * moment ago can be sampled "now" (the time may not be before the order).
 */
export function localNow(now = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

/** The sampling time: required, never in the future; "Nu" fills in the current time. */
export function SamplingTimeField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Field id={id} label={t('sampling.sample.time')} hint={t('sampling.sample.timeHint')} error={error} required>
      {(control) => (
        <span className="inline-form">
          <input
            {...control}
            name={id}
            type="datetime-local"
            className="input input--medium"
            value={value}
            max={localNow()}
            step={1}
            required
            onChange={(event) => onChange(event.target.value)}
          />
          <button
            type="button"
            className="button button--secondary"
            aria-label={t('sampling.sample.nowLabel')}
            onClick={() => onChange(localNow())}
          >
            {t('sampling.sample.now')}
          </button>
        </span>
      )}
    </Field>
  );
}
