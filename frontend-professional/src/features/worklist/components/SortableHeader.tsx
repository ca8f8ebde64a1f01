import { useTranslation } from 'react-i18next';
import type { SortKey, SortOrder } from '../api/worklist';

interface Props {
  column: SortKey;
  label: string;
  sort: SortKey;
  order: SortOrder;
  onSort: (column: SortKey) => void;
}

/** A column header that sorts: a button inside the th, with aria-sort on the sorted column. */
export function SortableHeader({ column, label, sort, order, onSort }: Props) {
  const { t } = useTranslation();
  const active = sort === column;
  const ariaSort = active ? (order === 'asc' ? 'ascending' : 'descending') : undefined;
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button type="button" className="sort-button" onClick={() => onSort(column)}>
        {label}
        <span className="sort-button__icon" aria-hidden="true">
          {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
        {!active && <span className="visually-hidden"> {t('worklist.sortable')}</span>}
      </button>
    </th>
  );
}
