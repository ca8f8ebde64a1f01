import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../../lib/format';
import type { OrderLine, OrderResult } from '../api/orders';

/**
 * The insight (tolkning) as care configured its text — for the result template, the offer or by
 * default (manual 3.5) — always with where to turn with questions.
 */
export function InsightText({ result }: { result: Pick<OrderResult, 'insight' | 'insight_text'> }) {
  const { t } = useTranslation();
  const { insight, insight_text: text } = result;
  return (
    <div className={`insight${insight ? ` insight--${insight}` : ''}`}>
      {insight && text && <p className="insight__text">{text}</p>}
      <p>{t('results.askCareProvider')}</p>
    </div>
  );
}

function Values({ result, product }: { result: OrderResult; product: string }) {
  const { t } = useTranslation();
  if (result.values.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="result-table">
        <caption>{t('results.tableCaption', { product })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('results.analysis')}</th>
            <th scope="col">{t('results.value')}</th>
            <th scope="col">{t('results.unit')}</th>
            <th scope="col">{t('results.referenceRange')}</th>
          </tr>
        </thead>
        <tbody>
          {result.values.map((value, index) => (
            // data-label: on a narrow screen each row is shown as a stacked card with these labels.
            <tr key={`${value.analysis}-${index}`}>
              <th scope="row" data-label={t('results.analysis')}>
                {value.analysis}
              </th>
              <td data-label={t('results.value')}>
                {value.value}
                {value.flag && <span className="flag"> ({t(`results.flag.${value.flag}`)})</span>}
              </td>
              <td data-label={t('results.unit')}>{value.unit ?? '–'}</td>
              <td data-label={t('results.referenceRange')}>{value.reference_range ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ResultView({ line }: { line: OrderLine }) {
  const { t, i18n } = useTranslation();
  const result = line.result;
  return (
    <article className="card result" aria-labelledby={`line-${line.line_no}-heading`}>
      <h3 id={`line-${line.line_no}-heading`}>{line.product_name}</h3>
      {!result ? (
        <p className="muted">{t('results.none')}</p>
      ) : (
        <>
          {result.corrected && <p className="tag tag--warning">{t('results.corrected')}</p>}
          <InsightText result={result} />
          <Values result={result} product={line.product_name} />
          <dl className="facts facts--compact">
            <div>
              <dt>{t('results.samplingDate')}</dt>
              <dd>{formatDate(result.sampling_date, i18n.language)}</dd>
            </div>
            <div>
              <dt>{t('results.receivedAt')}</dt>
              <dd>{formatDateTime(result.received_at, i18n.language)}</dd>
            </div>
            {result.comment && (
              <div>
                <dt>{t('results.comment')}</dt>
                <dd>{result.comment}</dd>
              </div>
            )}
          </dl>
        </>
      )}
    </article>
  );
}
