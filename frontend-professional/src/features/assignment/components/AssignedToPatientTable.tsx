import { useTranslation } from 'react-i18next';
import type { AssignedOfferOut } from '@shared/client/types.gen';
import { formatDateTime } from '../../../lib/format';

interface Props {
  assigned: AssignedOfferOut[];
  onRemove: (item: AssignedOfferOut, opener: HTMLButtonElement) => void;
}

/** "Patientens tilldelade erbjudanden" from this care unit, each removable. */
export function AssignedToPatientTable({ assigned, onRemove }: Props) {
  const { t, i18n } = useTranslation();
  return (
    <table className="table">
      <caption className="visually-hidden">{t('assign.assignedCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('assign.offer')}</th>
          <th scope="col">{t('assign.assignedAt')}</th>
          <th scope="col">{t('assign.assignedBy')}</th>
          <th scope="col">{t('assign.timesUsed')}</th>
          <th scope="col">{t('assign.action')}</th>
        </tr>
      </thead>
      <tbody>
        {assigned.map((item) => (
          <tr key={item.id}>
            <td>{item.offer_name}</td>
            <td>{formatDateTime(item.assigned_at, i18n.language)}</td>
            <td>{item.assigned_by_name ?? item.assigned_by_hsa_id}</td>
            <td>{item.times_used}</td>
            <td>
              <button
                type="button"
                className="button button--secondary button--small"
                aria-label={t('assign.removeNamed', { name: item.offer_name })}
                onClick={(event) => onRemove(item, event.currentTarget)}
              >
                {t('assign.remove')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
