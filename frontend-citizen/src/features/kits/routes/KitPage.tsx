import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorSummary, TextField } from '@shared/forms';
import type { SummaryItem } from '@shared/forms';
import { PageHeading } from '../../../components/PageHeading';
import { usePageTitle } from '../../../components/usePageTitle';
import { isNetworkError, problemSlug } from '../../../lib/problems';
import { serverFieldCodes } from '@shared/forms';
import { useIdempotencyKey } from '../../../lib/useIdempotencyKey';
import type { OrderDetails } from '../api/kits';
import { useRegisterKit } from '../api/kits';

type Field = 'kit_number' | 'rid';
type Failure = 'notFound' | 'alreadyRegistered' | 'tooMany' | 'notAvailable' | 'network' | 'generic' | 'duplicate';

const KIT_LENGTH = 12;
const RID_LENGTH = 10;
const FIELD_IDS: Record<Field, string> = { kit_number: 'kit-number', rid: 'kit-rid' };

function compact(code: string): string {
  return code.replace(/[\s-]/g, '');
}

function Registered({ order, onAnother }: { order: OrderDetails; onAnother: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="kit-done-heading">
      <div className="alert alert--success">
        <h2 id="kit-done-heading" ref={heading} tabIndex={-1}>
          {t('kit.done.heading')}
        </h2>
        <p>{t('kit.done.text', { offer: order.offer_name, rid: order.rid })}</p>
      </div>
      <p>{t('kit.done.next')}</p>
      <ul className="link-list">
        <li>
          <Link to={`/bestallningar/${order.order_id}`}>{t('kit.done.toOrder')}</Link>
        </li>
        <li>
          <Link to="/bestallningar">{t('orders.ongoingTitle')}</Link>
        </li>
      </ul>
      <button type="button" className="button button--secondary" onClick={onAnother}>
        {t('kit.done.another')}
      </button>
    </section>
  );
}

/** Registrera provtagningskit: binds a pre-labelled kit (kit number + RID) to the citizen. */
export function KitPage() {
  const { t } = useTranslation();
  usePageTitle(t('kit.title'));
  const [kitNumber, setKitNumber] = useState('');
  const [rid, setRid] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [registered, setRegistered] = useState<OrderDetails | null>(null);
  const idempotencyKey = useIdempotencyKey();
  const register = useRegisterKit();

  const showErrors = (found: Partial<Record<Field, string>>) => {
    setErrors(found);
    setAttempt((n) => n + 1);
  };

  const serverMessage = (field: Field, code: string): string => {
    if (code === 'check_character') return t(`kit.errors.${field}.typo`);
    return t(`kit.errors.${field}.format`);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (register.isPending) return;
    setFailure(null);
    const found: Partial<Record<Field, string>> = {};
    if (!compact(kitNumber)) found.kit_number = t('kit.errors.kit_number.missing');
    else if (compact(kitNumber).length !== KIT_LENGTH) found.kit_number = t('kit.errors.kit_number.format');
    if (!compact(rid)) found.rid = t('kit.errors.rid.missing');
    else if (compact(rid).length !== RID_LENGTH) found.rid = t('kit.errors.rid.format');
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }
    setErrors({});
    register.mutate(
      { body: { kit_number: kitNumber.trim(), rid: rid.trim() }, idempotencyKey: idempotencyKey.forAttempt() },
      {
        onSuccess: (order) => {
          idempotencyKey.settle();
          setRegistered(order);
        },
        onError: (error) => {
          const codes = serverFieldCodes(error);
          const shown: Partial<Record<Field, string>> = {};
          for (const field of ['kit_number', 'rid'] as const) {
            const code = codes[field];
            if (code !== undefined) shown[field] = serverMessage(field, code);
          }
          if (Object.keys(shown).length > 0) {
            showErrors(shown);
            return;
          }
          const slug = problemSlug(error);
          if (slug === 'kit-not-found') setFailure('notFound');
          else if (slug === 'kit-already-registered') setFailure('alreadyRegistered');
          else if (slug === 'too-many-attempts') setFailure('tooMany');
          else if (slug === 'offer-not-available' || slug === 'offer-not-found') setFailure('notAvailable');
          else if (slug === 'idempotency-key-reused') {
            idempotencyKey.settle();
            setFailure('duplicate');
          } else setFailure(isNetworkError(error) ? 'network' : 'generic');
        },
      },
    );
  };

  const another = () => {
    setRegistered(null);
    setKitNumber('');
    setRid('');
    setFailure(null);
    setErrors({});
  };

  const summary: SummaryItem[] = (Object.entries(errors) as [Field, string][]).map(([field, message]) => ({
    target: FIELD_IDS[field],
    message,
  }));

  return (
    <>
      <p className="breadcrumb">
        <Link to="/">{t('nav.toStart')}</Link>
      </p>
      <PageHeading>{t('kit.title')}</PageHeading>
      {registered ? (
        <Registered order={registered} onAnother={another} />
      ) : (
        <>
          <p className="lead">{t('kit.intro')}</p>
          {summary.length > 0 && <ErrorSummary items={summary} focusKey={attempt} />}
          {failure && (
            <div className="alert alert--error" role="alert">
              <p>{t(`kit.failure.${failure}`)}</p>
            </div>
          )}
          <form noValidate onSubmit={onSubmit} className="kit-form">
            <TextField
              id="kit-number"
              label={t('kit.kitNumber')}
              hint={t('kit.kitNumberHint')}
              size="medium"
              autoComplete="off"
              spellCheck={false}
              value={kitNumber}
              onChange={setKitNumber}
              error={errors.kit_number}
              required
            />
            <TextField
              id="kit-rid"
              label={t('kit.rid')}
              hint={t('kit.ridHint')}
              size="medium"
              autoComplete="off"
              spellCheck={false}
              value={rid}
              onChange={setRid}
              error={errors.rid}
              required
            />
            <button type="submit" className="button button--primary" aria-disabled={register.isPending}>
              {register.isPending ? t('kit.submitting') : t('kit.submit')}
            </button>
          </form>
        </>
      )}
    </>
  );
}
