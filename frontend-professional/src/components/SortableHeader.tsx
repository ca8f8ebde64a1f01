import { useTranslation } from 'react-i18next';

interface Props<K extends string> {
  column: K;
  label: string;
  sort: K;
  order: 'asc' | 'desc';
  onSort: (column: K) => void;
}

/** A column header that sorts: a button inside the th, with aria-sort on the sorted column.
 * Shared by the lists that sort on the server (Tilldelade erbjudanden, Arbetslista). */
export function SortableHeader<K extends string>({ column, label, sort, order, onSort }: Props<K>) {
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
        {!active && <span className="visually-hidden"> {t('form.sortable')}</span>}
      </button>
    </th>
  );
}
