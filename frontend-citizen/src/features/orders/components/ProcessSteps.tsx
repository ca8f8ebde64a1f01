import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../lib/format';
import type { OrderDetails } from '../api/orders';

/**
 * The order's process steps with their dates (manual 2.6): Beställd, Hanterad (the validity
 * counts from here), Provtagen and Besvarad. A step not reached yet says so; the last one
 * reached is the current step.
 */
export function ProcessSteps({ steps }: { steps: OrderDetails['steps'] }) {
  const { t, i18n } = useTranslation();
  const current = steps.reduce((last, step, index) => (step.at ? index : last), -1);
  return (
    <section aria-labelledby="process-steps-heading" className="order-section">
      <h2 id="process-steps-heading">{t('processSteps.heading')}</h2>
      <ol className="process-steps">
        {steps.map((step, index) => (
          <li
            key={step.step}
            className={step.at ? 'process-steps__step process-steps__step--done' : 'process-steps__step'}
            aria-current={index === current ? 'step' : undefined}
          >
            {/* One text: "Provtagen: 24 november 2026" (the step's name alone is the status badge's word). */}
            {`${t(`processSteps.${step.step}`)}: ${step.at ? formatDate(step.at, i18n.language) : t('processSteps.notYet')}`}
          </li>
        ))}
      </ol>
      <p className="field__hint">{t('processSteps.handledHint')}</p>
    </section>
  );
}
