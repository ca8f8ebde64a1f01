import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDateTime } from '../../../lib/format';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';
import { useAssignedOffers, useUnitOffers } from '../api/useAssignedOffers';
import type { AssignedOffersQuery, SortKey } from '../api/useAssignedOffers';
import { SortableHeader } from '../../../components/SortableHeader';

const PAGE_SIZE = 25;

/** Numbers and dates start descending (most used, newest first); the assigner's name ascending. */
const FIRST_ORDER: Record<SortKey, 'asc' | 'desc'> = {
  times_used: 'desc',
  last_used_at: 'desc',
  assigned_at: 'desc',
  assigned_by_name: 'asc',
};

/**
 * Tilldelade erbjudanden. The server pages with a cursor: "Nästa sida" follows the page's
 * `next_cursor`, "Föregående sida" goes back to the cursor remembered for the page before.
 * Personnummer and name are encrypted at rest and cannot be sorted on (ADR 10); an offer is
 * chosen with the filter.
 */
export function AssignedOffersPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('assignedOffers.title'));
  const me = useStaffMe();
  const unit = me.data ? selectedAssignment(me.data) : undefined;
  const [listing, setListing] = useState<Omit<AssignedOffersQuery, 'cursor' | 'pageSize'>>({
    sort: 'assigned_at',
    order: 'desc',
    catalogId: '',
  });
  // The cursors of the pages shown so far: cursors[n - 1] fetches page n.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length;
  const list = useAssignedOffers(unit?.care_unit_hsa_id, {
    ...listing,
    cursor: cursors[page - 1] ?? null,
    pageSize: PAGE_SIZE,
  });
  const offers = useUnitOffers(unit?.care_unit_hsa_id);
  const tableRef = useRef<HTMLTableElement>(null);

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  if (!unit) return <Navigate to="/valj-vardenhet" replace />;

  const relist = (change: Partial<typeof listing>) => {
    setListing((current) => ({ ...current, ...change }));
    setCursors([null]);
  };
  const onSort = (column: SortKey) =>
    relist({
      sort: column,
      order: listing.sort === column ? (listing.order === 'asc' ? 'desc' : 'asc') : FIRST_ORDER[column],
    });

  const data = list.data;
  const pages = data && !data.total_capped ? Math.max(1, Math.ceil(data.total / data.page_size)) : undefined;
  const pageLabel = pages ? t('assignedOffers.pageOf', { page, pages }) : t('assignedOffers.pageOnly', { page });
  const next = () => {
    if (!data?.next_cursor) return;
    setCursors((shown) => [...shown, data.next_cursor ?? null]);
    tableRef.current?.focus();
  };
  const previous = () => {
    setCursors((shown) => (shown.length > 1 ? shown.slice(0, -1) : shown));
    tableRef.current?.focus();
  };

  const header = (column: SortKey, label: string) => (
    <SortableHeader column={column} label={label} sort={listing.sort} order={listing.order} onSort={onSort} />
  );

  return (
    <>
      <h1>{t('assignedOffers.title')}</h1>
      <p>
        {t('assignedOffers.careUnit', { unit: unit.care_unit_name })}{' '}
        <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link>
      </p>
      <p className="muted">
        {t('assignedOffers.encryptedColumns')} <Link to="/tilldela">{t('assignedOffers.findPatient')}</Link>
      </p>
      {offers.data && offers.data.length > 0 && (
        <p className="inline-form">
          <label htmlFor="assigned-offers-offer">{t('assignedOffers.offerFilter')}</label>
          <select
            id="assigned-offers-offer"
            className="input input--small"
            value={listing.catalogId}
            onChange={(event) => relist({ catalogId: event.target.value })}
          >
            <option value="">{t('assignedOffers.allOffers')}</option>
            {offers.data.map((offer) => (
              <option key={offer.catalog_id} value={offer.catalog_id}>
                {offer.name}
              </option>
            ))}
          </select>
        </p>
      )}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.total === 0 ? (
        <p>{listing.catalogId ? t('assignedOffers.emptyForOffer') : t('assignedOffers.empty')}</p>
      ) : (
        <>
          <p role="status" className="muted">
            {list.data.total_capped
              ? t('assignedOffers.countMore', { count: list.data.total })
              : t('assignedOffers.count', { count: list.data.total })}
          </p>
          <div className="table-scroll">
            <table className="table table--dense" ref={tableRef} tabIndex={-1} aria-busy={list.isFetching}>
              <caption className="visually-hidden">{t('assignedOffers.caption', { page: pageLabel })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('assignedOffers.personnummer')}</th>
                  <th scope="col">{t('assignedOffers.name')}</th>
                  <th scope="col">{t('assignedOffers.offer')}</th>
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
          {(page > 1 || list.data.next_cursor) && (
            <nav className="pagination" aria-label={t('assignedOffers.pagination')}>
              <button
                type="button"
                className="button button--secondary button--small"
                disabled={page <= 1}
                onClick={previous}
              >
                {t('assignedOffers.previous')}
              </button>
              <span>{pageLabel}</span>
              <button
                type="button"
                className="button button--secondary button--small"
                disabled={!list.data.next_cursor || list.isPlaceholderData}
                onClick={next}
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
