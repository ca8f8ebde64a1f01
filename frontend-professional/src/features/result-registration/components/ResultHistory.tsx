import { useTranslation } from 'react-i18next';
import type { RegistrationLineOut, RegistrationResultOut } from '@shared/client/types.gen';
import { formatDate, formatDateTime } from '../../../lib/format';

/** The order's lines, each with the result shown now and every earlier version (corrections). */
export function ResultHistory({ lines }: { lines: RegistrationLineOut[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="registration-results">
      <h2 id="registration-results" tabIndex={-1}>
        {t('resultRegistration.order.resultsHeading')}
      </h2>
      {lines.map((line) => (
        <div key={line.line_no} className="result-line">
          <h3>{line.product_name}</h3>
          {line.versions.length === 0 ? (
            <p className="muted">{t('resultRegistration.order.noResult')}</p>
          ) : (
            <VersionsTable product={line.product_name} versions={line.versions} />
          )}
        </div>
      ))}
    </section>
  );
}

function VersionsTable({ product, versions }: { product: string; versions: RegistrationResultOut[] }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-scroll">
      <table className="table table--dense">
        <caption>{t('resultRegistration.order.versionsCaption', { product, count: versions.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('resultRegistration.order.columns.version')}</th>
            <th scope="col">{t('resultRegistration.order.columns.insight')}</th>
            <th scope="col">{t('resultRegistration.order.columns.value')}</th>
            <th scope="col">{t('resultRegistration.order.columns.samplingDate')}</th>
            <th scope="col">{t('resultRegistration.order.columns.registered')}</th>
            <th scope="col">{t('resultRegistration.order.columns.by')}</th>
            <th scope="col">{t('resultRegistration.order.columns.comment')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((version, index) => (
            <tr key={version.result_id}>
              <th scope="row">
                {version.version}{' '}
                {index === 0 ? (
                  <span className="tag">{t('resultRegistration.order.current')}</span>
                ) : (
                  <span className="tag tag--muted">{t('resultRegistration.order.replaced')}</span>
                )}
              </th>
              <td>{version.insight ? t(`insight.${version.insight}`) : '–'}</td>
              <td>
                {version.values.map((value, i) => (
                  <span key={i} className="result-value">
                    {value.value}
                    {value.unit ? ` ${value.unit}` : ''}
                    {value.reference_range ? ` (${t('resultRegistration.order.reference', { range: value.reference_range })})` : ''}
                  </span>
                ))}
              </td>
              <td>{formatDate(version.sampling_date, i18n.language)}</td>
              <td>{formatDateTime(version.received_at, i18n.language)}</td>
              <td>
                {version.source === 'manual'
                  ? [version.registered_by_name, version.registered_by_hsa_id].filter(Boolean).join(', ') || '–'
                  : t('resultRegistration.order.electronic')}
                {version.template_name ? ` · ${version.template_name}` : ''}
              </td>
              <td>{version.comment ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
