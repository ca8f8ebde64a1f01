import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { ErrorSummary, RadioGroup } from '@shared/forms';
import { Loading } from '@shared/components/Loading';
import type { OfferDetails } from '../api/offers';
import { SLOT_DAYS, useFreeSlots } from '../api/offers';
import type { FieldErrors, OrderFormValues } from './orderForm';
import { SamplingPlaceText } from './SamplingPlaceText';
import { SlotPicker } from './SlotPicker';
import { StepHeading } from './StepHeading';
import { summaryErrors } from './stepErrors';

interface Props {
  offer: OfferDetails;
  values: OrderFormValues;
  onChange: (patch: Partial<OrderFormValues>) => void;
  errors: FieldErrors;
  attempt: number;
  onNext: () => void;
  onBack: () => void;
  focusHeading: boolean;
}

export function BookingStep({ offer, values, onChange, errors, attempt, onNext, onBack, focusHeading }: Props) {
  const { t } = useTranslation();
  const slots = useFreeSlots(offer.catalog_id, values.samplingUnitId);
  const hasErrors = Object.keys(errors).length > 0;
  const placeError = errors['booking.sampling_unit_id'] ?? errors.booking;
  const slotError = errors['booking.slot_id'];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onNext();
  };

  return (
    <section className="step" aria-labelledby="step-booking-heading">
      <StepHeading id="step-booking-heading" focus={focusHeading && !hasErrors}>
        {t('order.booking.heading')}
      </StepHeading>
      {hasErrors && <ErrorSummary items={summaryErrors(errors)} focusKey={attempt} />}
      <form noValidate onSubmit={onSubmit}>
        <RadioGroup
          id="booking-place"
          legend={t('order.booking.place')}
          options={offer.sampling_places.map((place) => ({
            value: place.id,
            label: place.name,
            description: <SamplingPlaceText place={place} />,
          }))}
          value={values.samplingUnitId}
          onChange={(samplingUnitId) => onChange({ samplingUnitId, slotId: '' })}
          error={placeError}
        />
        {values.samplingUnitId && (
          <div aria-live="polite">
            {slots.isPending && <Loading />}
            {slots.isError && <ErrorAlert error={slots.error} onRetry={() => void slots.refetch()} />}
            {slots.data && slots.data.length === 0 && (
              <p className="alert">{t('order.booking.noSlots', { days: SLOT_DAYS })}</p>
            )}
          </div>
        )}
        {slots.data && slots.data.length > 0 && (
          <SlotPicker
            key={values.samplingUnitId}
            id="booking-slot"
            slots={slots.data}
            value={values.slotId}
            onChange={(slotId) => onChange({ slotId })}
            error={slotError}
          />
        )}
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('order.next')}
          </button>
          <button type="button" className="button button--secondary" onClick={onBack}>
            {t('order.back')}
          </button>
        </div>
      </form>
    </section>
  );
}
