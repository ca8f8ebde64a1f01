import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorklistItemOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { SelectField, TextField } from '@shared/forms';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatDateTime } from '../../../lib/format';
import { INITIAL_QUERY, useSetArchived, useWorklist, useWorklistChanges } from '../api/worklist';
import type { Insight, SortKey, WorklistQuery } from '../api/worklist';
import { CommentsDialog } from '../components/CommentsDialog';
import { Pager } from '../components/Pager';
import { SortableHeader } from '../../../components/SortableHeader';
import { useWorklistContext } from './WorklistLayout';

const EXCERPT = 80;

/**
 * One tab of the worklist (active or archived results). Filters, sorting and paging are the
 * server's (the list can hold a unit's whole history); the patient columns cannot be sorted,
 * since names and personnummer are stored encrypted. New results appear without a reload: the
 * unit's change token is polled and the list read again when it moves.
 */
export function WorklistPage({ archived }: { archived: boolean }) {
  const { t, i18n } = useTranslation();
  const { careUnitHsaId } = useWorklistContext();
  const [query, setQuery] = useState<WorklistQuery>({ ...INITIAL_QUERY, archived });
  const list = useWorklist(careUnitHsaId, query);
  const [announcement, setAnnouncement] = useState('');
  useWorklistChanges(careUnitHsaId, list.data?.change_token, () => setAnnouncement(t('worklist.updated')));
  const archiving = useSetArchived(careUnitHsaId);
  const [commentsFor, setCommentsFor] = useState<WorklistItemOut | null>(null);
  // The dates as typed: the list follows them once they make a range.
  const [range, setRange] = useState({ from: '', to: '' });
  const openedFrom = useRef<HTMLElement | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  if (list.isPending) return <Loading />;
  if (list.isError && !list.data) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  const { data } = list;
  const followed = data.care_unit.insights;

  const relist = (change: Partial<WorklistQuery>) => setQuery((current) => ({ ...current, ...change, page: 1 }));
  const onSort = (column: SortKey) =>
    relist({ sort: column, order: query.sort === column && query.order === 'desc' ? 'asc' : 'desc' });
  const header = (column: SortKey, label: string) => (
    <SortableHeader column={column} label={label} sort={query.sort} order={query.order} onSort={onSort} />
  );
  const patientOf = (item: WorklistItemOut) => item.patient.name ?? item.patient.personnummer;
  const rangeError = range.from && range.to && range.to < range.from ? t('worklist.filters.rangeError') : undefined;
  const setDate = (change: Partial<typeof range>) => {
    const next = { ...range, ...change };
    setRange(next);
    if (!(next.from && next.to && next.to < next.from)) relist({ resultFrom: next.from, resultTo: next.to });
  };

  const toggleArchived = (item: WorklistItemOut) =>
    archiving.mutate(
      { item, archived: !item.archived },
      {
        onSuccess: () => {
          setAnnouncement(
            t(item.archived ? 'worklist.unarchived' : 'worklist.archivedDone', { patient: patientOf(item) }),
          );
          tableRef.current?.focus();
        },
      },
    );

  const closeComments = () => {
    setCommentsFor(null);
    // Once the dialog (and its focus containment) is gone.
    window.setTimeout(() => openedFrom.current?.focus(), 0);
  };

  if (followed.length === 0) {
    return (
      <div className="alert" role="status">
        <p>{t('worklist.notConfigured')}</p>
      </div>
    );
  }

  const pages = data.total_capped ? undefined : Math.max(1, Math.ceil(data.total / data.page_size));
  const hasNext = pages === undefined ? data.items.length === data.page_size : query.page < pages;
  const pageLabel = pages ? t('worklist.pageOf', { page: query.page, pages }) : t('worklist.pageOnly', { page: query.page });
  const filtered =
    query.insight !== '' || query.read !== '' || query.takenOver !== '' || range.from !== '' || range.to !== '';

  return (
    <>
      <p className="muted">
        {t('worklist.follows', { insights: followed.map((i) => t(`insight.${i}`)).join(', ') })}{' '}
        {t('worklist.encryptedColumns')}
      </p>
      <fieldset className="worklist-filters">
        <legend>{t('worklist.filters.legend')}</legend>
        <div className="inline-form">
          <SelectField
            id="worklist-insight"
            label={t('worklist.filters.insight')}
            value={query.insight}
            placeholder={t('worklist.filters.all')}
            options={followed.map((i) => ({ value: i, label: t(`insight.${i}`) }))}
            onChange={(value) => relist({ insight: value as Insight | '' })}
          />
          <SelectField
            id="worklist-read"
            label={t('worklist.filters.read')}
            value={query.read}
            placeholder={t('worklist.filters.all')}
            options={[
              { value: 'unread', label: t('worklist.filters.unread') },
              { value: 'read', label: t('worklist.filters.readOnly') },
            ]}
            onChange={(value) => relist({ read: value as WorklistQuery['read'] })}
          />
          <SelectField
            id="worklist-taken-over"
            label={t('worklist.filters.takenOver')}
            value={query.takenOver}
            placeholder={t('worklist.filters.all')}
            options={[
              { value: 'yes', label: t('worklist.filters.takenOverYes') },
              { value: 'no', label: t('worklist.filters.takenOverNo') },
            ]}
            onChange={(value) => relist({ takenOver: value as WorklistQuery['takenOver'] })}
          />
          <TextField
            id="worklist-from"
            type="date"
            size="small"
            label={t('worklist.filters.from')}
            value={range.from}
            onChange={(value) => setDate({ from: value })}
          />
          <TextField
            id="worklist-to"
            type="date"
            size="small"
            label={t('worklist.filters.to')}
            value={range.to}
            error={rangeError}
            onChange={(value) => setDate({ to: value })}
          />
          {filtered && (
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => {
                setRange({ from: '', to: '' });
                setQuery({ ...INITIAL_QUERY, archived, sort: query.sort, order: query.order });
              }}
            >
              {t('worklist.filters.clear')}
            </button>
          )}
        </div>
      </fieldset>
      <p role="status" className="muted" aria-live="polite">
        {announcement}
      </p>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <ProblemAlert error={archiving.error} onReload={() => void list.refetch()} />
      {data.total === 0 ? (
        <p>{filtered ? t('worklist.noneMatching') : archived ? t('worklist.noneArchived') : t('worklist.none')}</p>
      ) : (
        <>
          <p className="muted">
            {data.total_capped ? t('worklist.countMore', { count: data.total }) : t('worklist.count', { count: data.total })}
          </p>
          <div className="table-scroll">
            <table className="table table--dense" ref={tableRef} tabIndex={-1} aria-busy={list.isFetching}>
              <caption className="visually-hidden">
                {t(archived ? 'worklist.captionArchived' : 'worklist.caption', { page: pageLabel })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('worklist.columns.patient')}</th>
                  <th scope="col">{t('worklist.columns.analysis')}</th>
                  <th scope="col">{t('worklist.columns.insight')}</th>
                  {header('result_date', t('worklist.columns.resultDate'))}
                  {header('read_date', t('worklist.columns.read'))}
                  <th scope="col">{t('worklist.columns.takenOver')}</th>
                  <th scope="col">{t('worklist.columns.comments')}</th>
                  <th scope="col">{t('worklist.columns.action')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((item) => (
                  <tr key={item.id}>
                    <td>
                      {item.patient.name ?? <span className="muted">{t('worklist.unknownName')}</span>}
                      <br />
                      <span className="nowrap">{item.patient.personnummer}</span>
                    </td>
                    <td>
                      {item.product_name}
                      <br />
                      <span className="muted">{item.offer_name}</span>
                    </td>
                    <td>
                      <span className="tag">{t(`insight.${item.insight}`)}</span>
                    </td>
                    <td className="nowrap">{formatDateTime(item.result_at, i18n.language)}</td>
                    <td>
                      {item.read_at
                        ? t('worklist.readAt', { at: formatDateTime(item.read_at, i18n.language) })
                        : t('worklist.unread')}
                    </td>
                    <td>
                      {item.takeovers.length === 0 ? (
                        t('worklist.notTakenOver')
                      ) : (
                        <ul className="cell-list">
                          {item.takeovers.map((takeover) => (
                            <li key={`${takeover.care_unit_hsa_id}-${takeover.taken_at}`}>
                              {t('worklist.takenOverBy', {
                                name: takeover.taken_by_name ?? takeover.taken_by_hsa_id,
                                unit: takeover.care_unit_name,
                                at: formatDateTime(takeover.taken_at, i18n.language),
                              })}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      {item.comments.latest && (
                        <p className="comment__meta">
                          {t('worklist.latestComment', {
                            name: item.comments.latest.author_name ?? item.comments.latest.author_hsa_id,
                            at: formatDateTime(item.comments.latest.created_at, i18n.language),
                          })}
                          <br />
                          {item.comments.latest.text.length > EXCERPT
                            ? `${item.comments.latest.text.slice(0, EXCERPT)}…`
                            : item.comments.latest.text}
                        </p>
                      )}
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        aria-label={t('worklist.commentsFor', { count: item.comments.count, patient: patientOf(item) })}
                        onClick={(event) => {
                          openedFrom.current = event.currentTarget;
                          setCommentsFor(item);
                        }}
                      >
                        {t('worklist.commentsButton', { count: item.comments.count })}
                      </button>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        disabled={archiving.isPending}
                        aria-label={t(item.archived ? 'worklist.unarchiveFor' : 'worklist.archiveFor', {
                          patient: patientOf(item),
                        })}
                        onClick={() => toggleArchived(item)}
                      >
                        {t(item.archived ? 'worklist.unarchive' : 'worklist.archive')}
                      </button>
                      {item.archive && (
                        <p className="comment__meta">
                          {t('worklist.archivedBy', {
                            name: item.archive.archived_by_name ?? item.archive.archived_by_hsa_id ?? '',
                            at: formatDateTime(item.archive.archived_at, i18n.language),
                          })}
                        </p>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={query.page}
            pages={pages}
            hasNext={hasNext}
            onPage={(page) => {
              setQuery((current) => ({ ...current, page }));
              tableRef.current?.focus();
            }}
          />
        </>
      )}
      {commentsFor && <CommentsDialog careUnitHsaId={careUnitHsaId} item={commentsFor} onClose={closeComments} />}
    </>
  );
}
