import { useTranslation } from 'react-i18next';

/**
 * Where to get help, on every page (manual ch. 2): questions about results and health go to the
 * care provider; technical questions to the national 1177 support through its support form.
 */
export function SupportFooter() {
  const { t } = useTranslation();
  return (
    <>
      <section className="support" aria-labelledby="support-heading">
        <h2 id="support-heading" className="support__heading">
          {t('support.heading')}
        </h2>
        <dl className="support__list">
          <div>
            <dt>{t('support.careHeading')}</dt>
            <dd>{t('support.care')}</dd>
          </div>
          <div>
            <dt>{t('support.technicalHeading')}</dt>
            <dd>
              {t('support.technicalBefore')}
              <a href={t('support.url')} target="_blank" rel="noopener noreferrer">
                {t('support.technicalLink')}
              </a>
              {t('support.technicalAfter')}
            </dd>
          </div>
        </dl>
      </section>
      <p>{t('app.footer')}</p>
    </>
  );
}
