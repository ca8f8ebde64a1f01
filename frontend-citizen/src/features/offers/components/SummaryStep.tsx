import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, stockholmLocalToIso } from '../../../lib/format';
import type { OfferDetails, SlotOut } from '../api/offers';
import type { OrderFormValues, Step } from './orderForm';
import { StepHeading } from './StepHeading';

interface Props {
  offer: OfferDetails;
  values: OrderFormValues;
  slot: SlotOut | undefined;
  submitting: boolean;
  /** Shown before the buttons, e.g. that the same offer is already ordered. */
  notice?: ReactNode;
  /** Why the last submit failed, when it is not about a field (network, availability …). */
  failure: ReactNode;
  onSubmit: () => void;
  onEdit: (step: Step) => void;
  onBack: () => void;
  focusHeading: boolean;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function SummaryStep({
  offer,
  values,
  slot,
  submitting,
  notice,
  failure,
  onSubmit,
  onEdit,
  onBack,
  focusHeading,
}: Props) {
  const { t, i18n } = useTranslation();
  const asks = offer.asks;
  const place = offer.sampling_places.find((p) => p.id === values.samplingUnitId);
  const samplingIso = asks.sampling_datetime
    ? stockholmLocalToIso(values.samplingDate, values.samplingTime)
    : null;
  const editButton = (step: Step, what: string) => (
    <button type="button" className="button button--text" onClick={() => onEdit(step)}>
      {t('order.summary.change')}
      <span className="visually-hidden"> {what}</span>
    </button>
  );

  return (
    <section className="step" aria-labelledby="step-summary-heading">
      <StepHeading id="step-summary-heading" focus={focusHeading}>
        {t('order.summary.heading')}
      </StepHeading>
      <p>{t('order.summary.intro')}</p>
      <div className="card">
        <dl className="facts">
          <Fact label={t('order.summary.offer')}>{offer.name}</Fact>
          <Fact label={t('offers.method')}>{t(`samplingMethod.${offer.sampling_method}`)}</Fact>
          <Fact label={t('offers.products')}>{offer.products.map((p) => p.name).join(', ')}</Fact>
          {asks.contact_details && (
            <Fact label={t('order.details.contact')}>
              {[values.phone.trim(), values.email.trim()].filter(Boolean).join(', ')}{' '}
              {editButton('details', t('order.details.contact'))}
            </Fact>
          )}
          {asks.delivery_address && (
            <Fact label={t('order.details.deliveryAddress')}>
              {values.careOf.trim() && (
                <>
                  {t('profile.careOf', { name: values.careOf.trim() })}
                  <br />
                </>
              )}
              {values.street}
              <br />
              {values.postalCode} {values.city} {editButton('details', t('order.details.deliveryAddress'))}
            </Fact>
          )}
          {asks.order_key && (
            <Fact label={t('order.details.orderKey')}>
              {values.orderKey} {editButton('details', t('order.details.orderKey'))}
            </Fact>
          )}
          {samplingIso && (
            <Fact label={t('order.details.samplingDateTime')}>
              {formatDateTime(samplingIso, i18n.language)}{' '}
              {editButton('details', t('order.details.samplingDateTime'))}
            </Fact>
          )}
          {asks.questions.map((question) => {
            const answer = values.answers[question.id] ?? '';
            const shown =
              question.type === 'yes_no'
                ? answer === 'yes'
                  ? t('order.details.yes')
                  : answer === 'no'
                    ? t('order.details.no')
                    : t('order.summary.notAnswered')
                : answer.trim() || t('order.summary.notAnswered');
            return (
              <Fact key={question.id} label={question.text}>
                {shown} {editButton('details', question.text)}
              </Fact>
            );
          })}
          {offer.sampling_method === 'site_booking' && place && slot && (
            <Fact label={t('order.summary.bookedTime')}>
              {formatDateTime(slot.starts_at, i18n.language)}
              <br />
              {place.name}, {place.street}, {place.postal_code} {place.city}{' '}
              {editButton('booking', t('order.summary.bookedTime'))}
            </Fact>
          )}
        </dl>
      </div>
      {notice}
      {failure}
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          onClick={onSubmit}
          disabled={submitting}
        >
          {submitting ? t('order.summary.submitting') : t('order.summary.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onBack}>
          {t('order.back')}
        </button>
      </div>
    </section>
  );
}
