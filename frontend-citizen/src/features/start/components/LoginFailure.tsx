import { useTranslation } from 'react-i18next';

// The reasons the backend names in `/?inloggning=…` after a login that did not succeed.
const REASONS = ['ogiltig', 'okand', 'utgangen', 'avbruten', 'misslyckades', 'tjanstfel'] as const;
type Reason = (typeof REASONS)[number];

function asReason(value: string): Reason | 'other' {
  return (REASONS as readonly string[]).includes(value) ? (value as Reason) : 'other';
}

/** Says what happened to a login that came back without a session, and what to do now. */
export function LoginFailure({ reason }: { reason: string | null }) {
  const { t } = useTranslation();
  if (reason === null) return null;
  return (
    <div className="alert alert--error" role="alert">
      <h2 className="alert__heading">{t('loginFailure.heading')}</h2>
      <p>{t(`loginFailure.${asReason(reason)}`)}</p>
    </div>
  );
}
