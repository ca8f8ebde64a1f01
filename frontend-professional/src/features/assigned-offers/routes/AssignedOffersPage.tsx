import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDateTime } from '../../../lib/format';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';
import { useAssignedOffers } from '../api/useAssignedOffers';
import type { AssignedOffersQuery, SortKey } from '../api/useAssignedOffers';
import { SortableHeader } from '../components/SortableHeader';

const PAGE_SIZE = 25;

/** Text columns start ascending, numbers and dates descending (newest, most used first). */
const FIRST_ORDER: Record<SortKey, 'asc' | 'desc'> = {
  personnummer: 'asc',
  name: 'asc',
  offer_name: 'asc',
  times_used: 'desc',
  last_used_at: 'desc',
  assigned_at: 'desc',
  assigned_by_hsa_id: 'asc',
  assigned_by_name: 'asc',
};

export function AssignedOffersPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('assignedOffers.title'));
  const me = useStaffMe();
  const unit = me.data ? selectedAssignment(me.data) : undefined;
  const [query, setQuery] = useState<AssignedOffersQuery>({
    sort: 'assigned_at',
    order: 'desc',
    page: 1,
    pageSize: PAGE_SIZE,
  });
  const list = useAssignedOffers(unit?.care_unit_hsa_id, query);
  const tableRef = useRef<HTMLTableElement>(null);

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  if (!unit) return <Navigate to="/valj-vardenhet" replace />;

  const onSort = (column: SortKey) =>
    setQuery((q) => ({
      ...q,
      sort: column,
      order: q.sort === column ? (q.order === 'asc' ? 'desc' : 'asc') : FIRST_ORDER[column],
      page: 1,
    }));

  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.page_size)) : 1;
  const goTo = (page: number) => {
    setQuery((q) => ({ ...q, page }));
    tableRef.current?.focus();
  };

  const header = (column: SortKey, label: string) => (
    <SortableHeader column={column} label={label} sort={query.sort} order={query.order} onSort={onSort} />
  );

  return (
    <>
      <h1>{t('assignedOffers.title')}</h1>
      <p>
        {t('assignedOffers.careUnit', { unit: unit.care_unit_name })}{' '}
        <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link>
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.total === 0 ? (
        <p>{t('assignedOffers.empty')}</p>
      ) : (
        <>
          <p role="status" className="muted">
            {t('assignedOffers.count', { count: list.data.total })}
          </p>
          <div className="table-scroll">
            <table className="table table--dense" ref={tableRef} tabIndex={-1} aria-busy={list.isFetching}>
              <caption className="visually-hidden">
                {t('assignedOffers.caption', { page: query.page, pages })}
              </caption>
              <thead>
                <tr>
                  {header('personnummer', t('assignedOffers.personnummer'))}
                  {header('name', t('assignedOffers.name'))}
                  {header('offer_name', t('assignedOffers.offer'))}
                  {header('times_used', t('assignedOffers.timesUsed'))}
                  {header('last_used_at', t('assignedOffers.lastUsed'))}
                  {header('assigned_at', t('assignedOffers.assignedAt'))}
                  {header('assigned_by_name', t('assignedOffers.assignedBy'))}
                  <th scope="col">{t('assignedOffers.careUnitColumn')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((item) => (
                  <tr key={item.id}>
                    <td className="nowrap">{item.personnummer}</td>
                    <td>{item.name ?? t('assignedOffers.unknownName')}</td>
                    <td>{item.offer_name}</td>
                    <td className="numeric">{item.times_used}</td>
                    <td>{formatDateTime(item.last_used_at, i18n.language) || t('assignedOffers.never')}</td>
                    <td>{formatDateTime(item.assigned_at, i18n.language)}</td>
                    <td>{item.assigned_by_name ?? item.assigned_by_hsa_id}</td>
                    <td>{item.care_unit_name}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 && (
            <nav className="pagination" aria-label={t('assignedOffers.pagination')}>
              <button
                type="button"
                className="button button--secondary button--small"
                disabled={query.page <= 1}
                onClick={() => goTo(query.page - 1)}
              >
                {t('assignedOffers.previous')}
              </button>
              <span>{t('assignedOffers.pageOf', { page: query.page, pages })}</span>
              <button
                type="button"
                className="button button--secondary button--small"
                disabled={query.page >= pages}
                onClick={() => goTo(query.page + 1)}
              >
                {t('assignedOffers.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </>
  );
}
