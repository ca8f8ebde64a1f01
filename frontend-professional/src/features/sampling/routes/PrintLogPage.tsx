import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { formatDateTime } from '../../../lib/format';
import { usePrintLog } from '../api/sampling';
import { Pager } from '../components/Pager';
import { useSamplingContext } from './SamplingLayout';

/** Utskriftslogg: every print at this sampling unit, repeats included, with who and when. */
export function PrintLogPage() {
  const { t, i18n } = useTranslation();
  const { careUnitHsaId } = useSamplingContext();
  const [page, setPage] = useState(1);
  const log = usePrintLog(careUnitHsaId, page);
  if (log.isPending) return <Loading />;
  if (log.isError) return <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />;
  const { data } = log;
  const pages = Math.max(1, Math.ceil(data.total / data.page_size));
  return (
    <>
      <h2>{t('sampling.tabs.printLog')}</h2>
      {data.total === 0 ? (
        <p>{t('sampling.printLog.none')}</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table table--dense" aria-busy={log.isFetching}>
              <caption>{t('sampling.printLog.caption', { count: data.total, page, pages })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sampling.printLog.printedAt')}</th>
                  <th scope="col">{t('sampling.printLog.printedBy')}</th>
                  <th scope="col">{t('sampling.columns.patient')}</th>
                  <th scope="col">{t('sampling.columns.personnummer')}</th>
                  <th scope="col">{t('sampling.columns.rid')}</th>
                  <th scope="col">{t('sampling.printLog.labels')}</th>
                  <th scope="col">{t('sampling.printLog.kind')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((item) => (
                  <tr key={item.id}>
                    <td className="nowrap">{formatDateTime(item.printed_at, i18n.language)}</td>
                    <td className="nowrap">{item.printed_by_hsa_id}</td>
                    <td>{item.patient.name ?? t('sampling.unknownName')}</td>
                    <td className="nowrap">{item.patient.personnummer}</td>
                    <td className="nowrap mono">{item.rid}</td>
                    <td className="numeric">{item.label_count}</td>
                    <td>{item.reprint ? t('sampling.printLog.reprint') : t('sampling.printLog.first')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pages={pages} onPage={setPage} />
        </>
      )}
    </>
  );
}
