import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, FieldError, RadioGroup, TextAreaField, TextField } from '@shared/forms';
import type { OfferDetails } from '../api/offers';
import type { FieldErrors, OrderFormValues } from './orderForm';
import { questionFieldId } from './orderForm';
import { StepHeading } from './StepHeading';
import { summaryErrors } from './stepErrors';

interface Props {
  offer: OfferDetails;
  values: OrderFormValues;
  onChange: (patch: Partial<OrderFormValues>) => void;
  errors: FieldErrors;
  attempt: number;
  /** Name of the citizen, shown (not editable) with the delivery address. */
  recipient: string | null;
  /** True when the population register gives no address (e.g. protected identity). */
  addressMissing: boolean;
  onNext: () => void;
  onBack: () => void;
  focusHeading: boolean;
}

export function DetailsStep({
  offer,
  values,
  onChange,
  errors,
  attempt,
  recipient,
  addressMissing,
  onNext,
  onBack,
  focusHeading,
}: Props) {
  const { t } = useTranslation();
  const asks = offer.asks;
  const hasErrors = Object.keys(errors).length > 0;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onNext();
  };

  return (
    <section className="step" aria-labelledby="step-details-heading">
      <StepHeading id="step-details-heading" focus={focusHeading && !hasErrors}>
        {t('order.details.heading')}
      </StepHeading>
      {hasErrors && <ErrorSummary items={summaryErrors(errors)} focusKey={attempt} />}
      <form noValidate onSubmit={onSubmit}>
        {asks.contact_details && (
          <fieldset
            id="contact"
            className={`field fieldset${errors.contact ? ' field--error' : ''}`}
            aria-describedby="contact-hint"
          >
            <legend className="fieldset__legend">{t('order.details.contact')}</legend>
            <p id="contact-hint" className="field__hint">
              {t('order.details.contactHint')}
            </p>
            <FieldError id="contact-error" message={errors.contact} />
            <TextField
              id="contact-phone"
              label={t('order.details.phone')}
              hint={t('order.details.phoneHint')}
              type="tel"
              autoComplete="tel"
              inputMode="tel"
              size="medium"
              value={values.phone}
              onChange={(phone) => onChange({ phone })}
              error={errors['contact.phone']}
              groupErrorId={errors.contact ? 'contact-error' : undefined}
            />
            <TextField
              size="full"
              id="contact-email"
              label={t('order.details.email')}
              type="email"
              autoComplete="email"
              spellCheck={false}
              value={values.email}
              onChange={(email) => onChange({ email })}
              error={errors['contact.email']}
              groupErrorId={errors.contact ? 'contact-error' : undefined}
            />
          </fieldset>
        )}

        {asks.delivery_address && (
          <fieldset
            id="delivery-address"
            className={`field fieldset${errors.delivery_address ? ' field--error' : ''}`}
            aria-describedby="delivery-address-hint"
          >
            <legend className="fieldset__legend">{t('order.details.deliveryAddress')}</legend>
            <p id="delivery-address-hint" className="field__hint">
              {addressMissing
                ? t('order.details.deliveryAddressTypeHint')
                : t('order.details.deliveryAddressHint')}
            </p>
            {recipient && (
              <p className="recipient">{t('order.details.recipient', { name: recipient })}</p>
            )}
            <FieldError id="delivery-address-error" message={errors.delivery_address} />
            <TextField
              size="full"
              id="delivery-care-of"
              label={t('order.details.careOf')}
              optional
              value={values.careOf}
              onChange={(careOf) => onChange({ careOf })}
              error={errors['delivery_address.care_of']}
            />
            <TextField
              size="full"
              id="delivery-street"
              label={t('order.details.street')}
              autoComplete="street-address"
              value={values.street}
              onChange={(street) => onChange({ street })}
              error={errors['delivery_address.street']}
              groupErrorId={errors.delivery_address ? 'delivery-address-error' : undefined}
              required
            />
            <TextField
              id="delivery-postal-code"
              label={t('order.details.postalCode')}
              hint={t('order.details.postalCodeHint')}
              autoComplete="postal-code"
              inputMode="numeric"
              size="short"
              value={values.postalCode}
              onChange={(postalCode) => onChange({ postalCode })}
              error={errors['delivery_address.postal_code']}
              groupErrorId={errors.delivery_address ? 'delivery-address-error' : undefined}
              required
            />
            <TextField
              id="delivery-city"
              label={t('order.details.city')}
              autoComplete="address-level2"
              size="medium"
              value={values.city}
              onChange={(city) => onChange({ city })}
              error={errors['delivery_address.city']}
              groupErrorId={errors.delivery_address ? 'delivery-address-error' : undefined}
              required
            />
          </fieldset>
        )}

        {asks.order_key && (
          <TextField
            id="order-key"
            label={t('order.details.orderKey')}
            hint={t('order.details.orderKeyHint')}
            size="medium"
            spellCheck={false}
            value={values.orderKey}
            onChange={(orderKey) => onChange({ orderKey })}
            error={errors.order_key}
            required
          />
        )}

        {asks.sampling_datetime && (
          <fieldset
            id="sampling-datetime"
            className={`field fieldset${errors.sampling_datetime ? ' field--error' : ''}`}
            aria-describedby="sampling-datetime-hint"
          >
            <legend className="fieldset__legend">{t('order.details.samplingDateTime')}</legend>
            <p id="sampling-datetime-hint" className="field__hint">
              {t('order.details.samplingDateTimeHint')}
            </p>
            <FieldError id="sampling-datetime-error" message={errors.sampling_datetime} />
            <div className="field-row">
              <TextField
                id="sampling-date"
                label={t('order.details.samplingDate')}
                type="date"
                size="medium"
                value={values.samplingDate}
                onChange={(samplingDate) => onChange({ samplingDate })}
                groupErrorId={errors.sampling_datetime ? 'sampling-datetime-error' : undefined}
                required
              />
              <TextField
                id="sampling-time"
                label={t('order.details.samplingTime')}
                type="time"
                size="short"
                value={values.samplingTime}
                onChange={(samplingTime) => onChange({ samplingTime })}
                groupErrorId={errors.sampling_datetime ? 'sampling-datetime-error' : undefined}
                required
              />
            </div>
          </fieldset>
        )}

        {asks.questions.map((question) => {
          const id = questionFieldId(question.id);
          const error = errors[`answers.${question.id}`];
          const value = values.answers[question.id] ?? '';
          const setAnswer = (answer: string) =>
            onChange({ answers: { ...values.answers, [question.id]: answer } });
          return question.type === 'yes_no' ? (
            <RadioGroup
              key={question.id}
              id={id}
              legend={question.text}
              inline
              required={question.required}
              options={[
                { value: 'yes', label: t('order.details.yes') },
                { value: 'no', label: t('order.details.no') },
              ]}
              value={value}
              onChange={setAnswer}
              error={error}
            />
          ) : (
            <TextAreaField
              rows={4}
              size="full"
              key={question.id}
              id={id}
              label={question.text}
              optional={!question.required}
              required={question.required}
              maxLength={500}
              value={value}
              onChange={setAnswer}
              error={error}
            />
          );
        })}

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
