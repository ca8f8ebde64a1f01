import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ErrorSummary, serverFieldCodes, TextField } from '@shared/forms';
import type { SummaryItem } from '@shared/forms';
import { PageHeading } from '../../../components/PageHeading';
import { usePageTitle } from '../../../components/usePageTitle';
import { isNetworkError, problemSlug } from '../../../lib/problems';
import { citizenKeys } from '../../../lib/queryKeys';
import type { ContactDetails } from '../api/contactDetails';
import { useChangeContactDetails, useContactDetails } from '../api/contactDetails';

type Field = 'email' | 'mobile';
type Notice = 'saved' | 'stale' | 'network' | 'failed';

const FIELD_IDS: Record<Field, string> = { email: 'contact-email', mobile: 'contact-mobile' };

// Obvious mistakes are caught before sending; the service decides the rest (and says which
// field it refused, shown the same way).
const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LOOKS_LIKE_MOBILE = /^(\+46|0046|0)7\d{8}$/;

function obviousErrors(email: string, mobile: string): Field[] {
  const wrong: Field[] = [];
  if (email.trim() && !LOOKS_LIKE_EMAIL.test(email.trim())) wrong.push('email');
  if (mobile.trim() && !LOOKS_LIKE_MOBILE.test(mobile.replace(/[\s\-()]/g, ''))) wrong.push('mobile');
  return wrong;
}

/**
 * Inställningar: the e-mail address and mobile number to which the service sends a notification
 * (avisering) when a message arrives in Inkorg. Either may be left empty.
 */
export function SettingsPage() {
  const { t } = useTranslation();
  usePageTitle(t('settings.title'));
  const details = useContactDetails();
  const [notice, setNotice] = useState<Notice | null>(null);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/">{t('nav.toStart')}</Link>
      </p>
      <PageHeading>{t('settings.title')}</PageHeading>
      <p className="lead">{t('settings.intro')}</p>
      {notice && (
        <div
          className={notice === 'saved' ? 'alert alert--success' : 'alert alert--error'}
          role={notice === 'saved' ? 'status' : 'alert'}
        >
          <p>{t(`settings.notice.${notice}`)}</p>
        </div>
      )}
      {details.isPending && <Loading />}
      {details.isError && <ErrorAlert error={details.error} onRetry={() => void details.refetch()} />}
      {details.data && (
        // A new version (saved here, or fetched after a change elsewhere) starts the form afresh.
        <ContactForm key={details.data.version} saved={details.data} onNotice={setNotice} />
      )}
    </>
  );
}

function ContactForm({ saved, onNotice }: { saved: ContactDetails; onNotice: (notice: Notice | null) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState(saved.email ?? '');
  const [mobile, setMobile] = useState(saved.mobile ?? '');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const change = useChangeContactDetails();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (change.isPending) return;
    onNotice(null);
    const wrong = obviousErrors(email, mobile);
    if (wrong.length > 0) {
      setErrors(Object.fromEntries(wrong.map((field) => [field, t(`settings.errors.${field}`)])));
      setAttempt((n) => n + 1);
      return;
    }
    setErrors({});
    change.mutate(
      { email, mobile, version: saved.version },
      {
        onSuccess: () => onNotice('saved'),
        onError: (error) => {
          const codes = serverFieldCodes(error);
          const shown: Partial<Record<Field, string>> = {};
          if (codes.email) shown.email = t('settings.errors.email');
          if (codes.mobile) shown.mobile = t('settings.errors.mobile');
          if (Object.keys(shown).length > 0) {
            setErrors(shown);
            setAttempt((n) => n + 1);
            return;
          }
          if (problemSlug(error) === 'stale-version') {
            // Changed in another window: show what is saved now, to check and save again.
            onNotice('stale');
            void queryClient.invalidateQueries({ queryKey: citizenKeys.contactDetails });
            return;
          }
          onNotice(isNetworkError(error) ? 'network' : 'failed');
        },
      },
    );
  };

  const summary: SummaryItem[] = (Object.entries(errors) as [Field, string][]).map(([field, message]) => ({
    target: FIELD_IDS[field],
    message,
  }));

  return (
    <>
      {summary.length > 0 && <ErrorSummary items={summary} focusKey={attempt} />}
      <form noValidate onSubmit={onSubmit} className="contact-form">
        <h2>{t('settings.heading')}</h2>
        <TextField
          id={FIELD_IDS.email}
          label={t('settings.email')}
          hint={t('settings.emailHint')}
          type="email"
          inputMode="email"
          autoComplete="email"
          spellCheck={false}
          size="large"
          value={email}
          onChange={setEmail}
          error={errors.email}
          optional
        />
        <TextField
          id={FIELD_IDS.mobile}
          label={t('settings.mobile')}
          hint={t('settings.mobileHint')}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          size="medium"
          value={mobile}
          onChange={setMobile}
          error={errors.mobile}
          optional
        />
        <button type="submit" className="button button--primary" aria-disabled={change.isPending}>
          {change.isPending ? t('settings.saving') : t('settings.save')}
        </button>
      </form>
    </>
  );
}
