import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { citizenKeys } from '../../../lib/queryKeys';
import { isNetworkError, problemSlug } from '../../../lib/problems';
import { serverFieldCodes, serverFieldErrors } from '@shared/forms';
import { useIdempotencyKey } from '../../../lib/useIdempotencyKey';
import type { CitizenProfile } from '../../../session/useCitizenProfile';
import { fullName } from '../../../session/useCitizenProfile';
import type { OfferDetails } from '../api/offers';
import { useFreeSlots, usePlaceOrder } from '../api/offers';
import { BookingStep } from './BookingStep';
import { DetailsStep } from './DetailsStep';
import { OfferFacts } from './OfferFacts';
import type { FieldErrors, OrderFormValues, Step } from './orderForm';
import {
  initialValues,
  messageForServerError,
  stepOfField,
  stepsOf,
  toOrderIn,
  validateBooking,
  validateDetails,
} from './orderForm';
import { StepHeading } from './StepHeading';
import { SummaryStep } from './SummaryStep';

type Failure = 'network' | 'unavailable' | 'duplicate' | 'generic';

/** Instructions → Nästa → what the offer asks → time booking → summary → Slutför beställningen. */
export function OrderFlow({ offer, profile }: { offer: OfferDetails; profile: CitizenProfile }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const steps = stepsOf(offer);
  const [step, setStep] = useState<Step>('instructions');
  const [moved, setMoved] = useState(false);
  const [values, setValues] = useState<OrderFormValues>(() =>
    initialValues(profile.protected_identity ? null : profile.address),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<Failure | null>(null);
  const idempotencyKey = useIdempotencyKey();
  const placeOrder = usePlaceOrder();
  const slots = useFreeSlots(offer.catalog_id, values.samplingUnitId);
  const chosenSlot = slots.data?.find((slot) => slot.slot_id === values.slotId);

  const index = steps.indexOf(step);
  const goTo = (target: Step) => {
    setErrors({});
    setFailure(null);
    setMoved(true);
    setStep(target);
  };
  const showErrors = (target: Step, fieldErrors: FieldErrors) => {
    setErrors(fieldErrors);
    setAttempt((n) => n + 1);
    setMoved(true);
    setStep(target);
  };
  const next = () => {
    const found =
      step === 'details'
        ? validateDetails(offer, values, t)
        : step === 'booking'
          ? validateBooking(values, t)
          : {};
    if (Object.keys(found).length > 0) {
      showErrors(step, found);
      return;
    }
    const following = steps[index + 1];
    if (following) goTo(following);
  };
  const back = () => {
    const previous = steps[index - 1];
    if (previous) goTo(previous);
  };
  const change = (patch: Partial<OrderFormValues>) => setValues((v) => ({ ...v, ...patch }));

  const onFailure = (error: unknown) => {
    const slug = problemSlug(error);
    const fields = serverFieldErrors(error);
    const codes = serverFieldCodes(error);
    const entries = Object.entries(fields);
    if (entries.length > 0) {
      const first = entries[0]?.[0] ?? '';
      const target = steps.includes(stepOfField(first)) ? stepOfField(first) : null;
      if (target) {
        const shown: FieldErrors = {};
        for (const [field, message] of entries) {
          if (stepOfField(field) === target) shown[field] = messageForServerError(field, message, codes[field] ?? 'invalid', t, offer);
        }
        showErrors(target, shown);
        return;
      }
      setFailure('generic');
    } else if (slug === 'slot-not-available') {
      change({ slotId: '' });
      void queryClient.invalidateQueries({
        queryKey: citizenKeys.slots(offer.catalog_id, values.samplingUnitId),
      });
      showErrors('booking', { 'booking.slot_id': t('order.errors.slotTaken') });
    } else if (slug === 'idempotency-key-reused') {
      // The first attempt did reach the server: a new attempt must be a new, deliberate order.
      idempotencyKey.settle();
      setFailure('duplicate');
    } else if (slug === 'offer-not-available' || slug === 'offer-not-found') {
      setFailure('unavailable');
    } else {
      setFailure(isNetworkError(error) ? 'network' : 'generic');
    }
  };

  const submit = () => {
    if (placeOrder.isPending) return;
    setFailure(null);
    placeOrder.mutate(
      { body: toOrderIn(offer, values), idempotencyKey: idempotencyKey.forAttempt() },
      {
        onSuccess: (order) => {
          idempotencyKey.settle();
          void navigate(`/bestall/klar/${order.order_id}`);
        },
        onError: onFailure,
      },
    );
  };

  const failureMessage: ReactNode = failure && (
    <div className="alert alert--error" role="alert">
      <p>{t(`order.failure.${failure}`)}</p>
      {failure === 'duplicate' && (
        <p>
          <Link to="/bestallningar">{t('orders.ongoingTitle')}</Link>
        </p>
      )}
    </div>
  );

  return (
    <>
      <p className="step-indicator">
        {t('order.stepOf', { current: index + 1, total: steps.length })}
      </p>
      {step === 'instructions' && (
        <section className="step" aria-labelledby="step-instructions-heading">
          <StepHeading id="step-instructions-heading" focus={moved}>
            {t('order.instructions.heading')}
          </StepHeading>
          <div
            className="instructions"
            // Sanitized on the server (a small allow-list of tags, https links only).
            dangerouslySetInnerHTML={{ __html: offer.instructions_html }}
          />
          <OfferFacts offer={offer} showRegion />
          <p>{t('order.instructions.validity', { count: offer.validity_days })}</p>
          {offer.sampling_method === 'anonymous_kit' ? (
            <>
              <p>{t('order.instructions.registerKitHint')}</p>
              <p>
                <Link to="/kit" className="button button--primary">
                  {t('services.registerKit.title')}
                </Link>
              </p>
            </>
          ) : (
            <div className="button-row">
              <button type="button" className="button button--primary" onClick={next}>
                {t('order.next')}
              </button>
              <Link to="/bestall" className="button button--secondary">
                {t('order.toOffers')}
              </Link>
            </div>
          )}
        </section>
      )}
      {step === 'details' && (
        <DetailsStep
          offer={offer}
          values={values}
          onChange={change}
          errors={errors}
          attempt={attempt}
          recipient={fullName(profile)}
          addressMissing={profile.protected_identity || !profile.address}
          onNext={next}
          onBack={back}
          focusHeading={moved}
        />
      )}
      {step === 'booking' && (
        <BookingStep
          offer={offer}
          values={values}
          onChange={change}
          errors={errors}
          attempt={attempt}
          onNext={next}
          onBack={back}
          focusHeading={moved}
        />
      )}
      {step === 'summary' && (
        <SummaryStep
          offer={offer}
          values={values}
          slot={chosenSlot}
          submitting={placeOrder.isPending}
          failure={failureMessage}
          onSubmit={submit}
          onEdit={goTo}
          onBack={back}
          focusHeading={moved}
        />
      )}
    </>
  );
}
