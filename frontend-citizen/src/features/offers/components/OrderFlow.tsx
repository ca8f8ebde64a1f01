import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { citizenKeys } from '../../../lib/queryKeys';
import { clearDraft, loadDraft, saveDraft } from '../../../lib/orderDrafts';
import { isNetworkError, problemSlug } from '../../../lib/problems';
import { ErrorSummary, serverFieldCodes, serverFieldErrors } from '@shared/forms';
import type { CitizenProfile } from '../../../session/useCitizenProfile';
import { fullName } from '../../../session/useCitizenProfile';
import type { OfferDetails } from '../api/offers';
import { ongoingOrdersOf, useFreeSlots, useOngoingOrders, usePlaceOrder } from '../api/offers';
import { BookingStep } from './BookingStep';
import { DetailsStep } from './DetailsStep';
import { DUPLICATE_CONFIRM_ID, DuplicateWarning } from './DuplicateWarning';
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

/** Each step has its own URL (`…&steg=uppgifter`), so Back, reload and a new login keep it. */
export const STEP_PARAM = 'steg';
export const STEP_SLUGS: Record<Step, string> = {
  instructions: 'instruktion',
  details: 'uppgifter',
  booking: 'tid',
  summary: 'kontrollera',
};

function stepOfSlug(slug: string | null): Step | null {
  const found = (Object.entries(STEP_SLUGS) as [Step, string][]).find(([, s]) => s === slug);
  return found ? found[0] : null;
}

/** Marks a history entry made by moving between steps (the new step's heading takes the focus). */
interface StepMove {
  orderStep: true;
}

function isStepMove(state: unknown): state is StepMove {
  return typeof state === 'object' && state !== null && (state as StepMove).orderStep === true;
}

interface Draft {
  values: OrderFormValues;
  idempotencyKey: string;
  /** Saved in the tab once the citizen has gone past the instructions. */
  started: boolean;
  /** Read back from the tab's storage (after a reload or a new login). */
  restored: boolean;
}

function newKey(): string {
  return crypto.randomUUID();
}

/** Instructions → Nästa → what the offer asks → time booking → summary → Slutför beställningen. */
export function OrderFlow({ offer, profile }: { offer: OfferDetails; profile: CitizenProfile }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const steps = stepsOf(offer);
  const catalogId = offer.catalog_id;

  const [draft, setDraft] = useState<Draft>(() => {
    const fresh = initialValues(profile.protected_identity ? null : profile.address);
    const stored = loadDraft<OrderFormValues>(catalogId);
    return stored
      ? { values: { ...fresh, ...stored.values }, idempotencyKey: stored.idempotencyKey, started: true, restored: true }
      : { values: fresh, idempotencyKey: newKey(), started: false, restored: false };
  });
  const values = draft.values;
  const persist = (next: Draft) => {
    setDraft(next);
    if (next.started) {
      saveDraft(catalogId, { values: next.values, idempotencyKey: next.idempotencyKey });
    }
  };
  const change = (patch: Partial<OrderFormValues>) => persist({ ...draft, values: { ...values, ...patch } });

  const [errorState, setErrorState] = useState<{ step: Step; errors: FieldErrors } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [duplicateConfirmed, setDuplicateConfirmed] = useState(false);
  const [duplicateError, setDuplicateError] = useState(false);
  const submitting = useRef(false);
  const placeOrder = usePlaceOrder();
  const slots = useFreeSlots(catalogId, values.samplingUnitId);
  const chosenSlot = slots.data?.find((slot) => slot.slot_id === values.slotId);
  const ongoing = useOngoingOrders();
  const duplicates = ongoingOrdersOf(offer, ongoing.data);

  const bookingErrors = (): FieldErrors => {
    const found = validateBooking(values, t);
    if (Object.keys(found).length === 0 && slots.data && !chosenSlot) {
      // The time chosen before a reload or a new login has been booked by someone else.
      return { 'booking.slot_id': t('order.errors.slotTaken') };
    }
    return found;
  };
  const errorsOf = (s: Step): FieldErrors =>
    s === 'details' ? validateDetails(offer, values, t) : s === 'booking' ? bookingErrors() : {};

  // The step the URL asks for, if everything before it is filled in; else the first step that
  // is not (a URL typed or kept in history cannot skip a step or reopen a placed order).
  const slug = params.get(STEP_PARAM);
  const requested = stepOfSlug(slug) ?? 'instructions';
  let step: Step = 'instructions';
  if (draft.started && steps.includes(requested)) {
    step = requested;
    for (const earlier of steps.slice(0, steps.indexOf(requested))) {
      if (Object.keys(errorsOf(earlier)).length > 0) {
        step = earlier;
        break;
      }
    }
  }
  const index = steps.indexOf(step);
  const errors = errorState?.step === step ? errorState.errors : {};
  const moved = isStepMove(location.state);
  // The history entry this page was opened on (kept by a reload): "we kept your draft" is said
  // there only, not again after each step.
  const [openedOn] = useState(location.key);

  const searchOf = (target: Step) => {
    const next = new URLSearchParams(params);
    if (target === 'instructions') next.delete(STEP_PARAM);
    else next.set(STEP_PARAM, STEP_SLUGS[target]);
    return `?${next.toString()}`;
  };
  const shownSlug = step === 'instructions' ? null : STEP_SLUGS[step];
  const urlMatches = slug === shownSlug || (step === 'instructions' && slug === STEP_SLUGS.instructions);
  useEffect(() => {
    // Keep the URL on the step shown (replace: the corrected URL is not a step of its own).
    if (!urlMatches) void navigate({ search: searchOf(step) }, { replace: true, state: location.state });
  });

  const goTo = (target: Step) => {
    setErrorState(null);
    setFailure(null);
    const state: StepMove = { orderStep: true };
    void navigate({ search: searchOf(target) }, { state });
  };
  const showErrors = (target: Step, fieldErrors: FieldErrors) => {
    setErrorState({ step: target, errors: fieldErrors });
    setAttempt((n) => n + 1);
    if (target !== step) {
      const state: StepMove = { orderStep: true };
      void navigate({ search: searchOf(target) }, { state });
    }
  };
  const next = () => {
    const found = errorsOf(step);
    if (Object.keys(found).length > 0) {
      showErrors(step, found);
      return;
    }
    if (!draft.started) persist({ ...draft, started: true });
    const following = steps[index + 1];
    if (following) goTo(following);
  };
  const back = () => {
    const previous = steps[index - 1];
    if (previous) goTo(previous);
  };

  const onFailure = (error: unknown) => {
    const slugOfProblem = problemSlug(error);
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
    } else if (slugOfProblem === 'slot-not-available') {
      change({ slotId: '' });
      void queryClient.invalidateQueries({ queryKey: citizenKeys.slots(catalogId, values.samplingUnitId) });
      showErrors('booking', { 'booking.slot_id': t('order.errors.slotTaken') });
    } else if (slugOfProblem === 'idempotency-key-reused') {
      // The first attempt did reach the server: a new attempt must be a new, deliberate order.
      persist({ ...draft, idempotencyKey: newKey() });
      setFailure('duplicate');
    } else if (slugOfProblem === 'offer-not-available' || slugOfProblem === 'offer-not-found') {
      setFailure('unavailable');
    } else {
      setFailure(isNetworkError(error) ? 'network' : 'generic');
    }
  };

  const submit = () => {
    if (submitting.current) return;
    if (duplicates.length > 0 && !duplicateConfirmed) {
      setDuplicateError(true);
      setAttempt((n) => n + 1);
      return;
    }
    submitting.current = true;
    setFailure(null);
    placeOrder.mutate(
      // The draft's key: the same for every retry of this order, also after a new login.
      { body: toOrderIn(offer, values), idempotencyKey: draft.idempotencyKey },
      {
        onSuccess: (order) => {
          clearDraft(catalogId);
          // The confirmation replaces the summary in the history: Back does not return to a
          // summary that could be sent again.
          void navigate(`/bestall/klar/${order.order_id}`, { replace: true });
        },
        onError: onFailure,
        onSettled: () => {
          submitting.current = false;
        },
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
  const duplicateMessage = duplicateError && !duplicateConfirmed ? t('order.duplicate.confirmMissing') : undefined;
  const duplicateNotice: ReactNode = duplicates.length > 0 && (
    <>
      {duplicateMessage && (
        <ErrorSummary items={[{ target: DUPLICATE_CONFIRM_ID, message: duplicateMessage }]} focusKey={attempt} />
      )}
      <DuplicateWarning
        offer={offer}
        orders={duplicates}
        confirm={{
          checked: duplicateConfirmed,
          onChange: (checked) => {
            setDuplicateConfirmed(checked);
            if (checked) setDuplicateError(false);
          },
          error: duplicateMessage,
        }}
      />
    </>
  );

  return (
    <>
      <p className="step-indicator">
        {t('order.stepOf', { current: index + 1, total: steps.length })}
        <span className="visually-hidden">: {t(`order.steps.${step}`)}</span>
      </p>
      {draft.restored && location.key === openedOn && step !== 'instructions' && (
        <div className="alert" role="status">
          <p>{t('order.draftRestored')}</p>
        </div>
      )}
      {step === 'instructions' && (
        <section className="step" aria-labelledby="step-instructions-heading">
          <StepHeading id="step-instructions-heading" focus={moved}>
            {t('order.instructions.heading')}
          </StepHeading>
          <DuplicateWarning offer={offer} orders={duplicates} />
          <div
            className="instructions"
            // Sanitized on the server (a small allow-list of tags, https links only).
            dangerouslySetInnerHTML={{ __html: offer.instructions_html }}
          />
          <OfferFacts offer={offer} showRegion />
          <p>{t('order.instructions.validity', { count: offer.validity_days })}</p>
          {offer.sampling_method === 'anonymous_kit' && offer.asks.delivery_address && (
            // Issue 8: an anonymous kit the service posts home is ordered here (Ordermottagning sends it).
            <p>{t('order.instructions.anonymousKitHome')}</p>
          )}
          {offer.sampling_method === 'anonymous_kit' && !offer.asks.delivery_address ? (
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
          notice={duplicateNotice}
          failure={failureMessage}
          onSubmit={submit}
          onEdit={goTo}
          onBack={back}
          focusHeading={moved && !duplicateMessage}
        />
      )}
    </>
  );
}
