import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssignableOfferOut } from '../api/useAssignment';

interface Props {
  offers: AssignableOfferOut[];
  /** Catalog ids the patient already has from this unit. */
  assigned: Set<string>;
  assigningId: string | null;
  onAssign: (offer: AssignableOfferOut) => void;
}

/** The unit's assignable offers; the name opens the offer's details (manual 4.9). */
export function AssignableOffersTable({ offers, assigned, assigningId, onAssign }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);

  return (
    <table className="table">
      <caption className="visually-hidden">{t('assign.offersCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('assign.offer')}</th>
          <th scope="col">{t('assign.samplingMethod')}</th>
          <th scope="col">{t('assign.validity')}</th>
          <th scope="col">{t('assign.action')}</th>
        </tr>
      </thead>
      <tbody>
        {offers.map((offer) => {
          const expanded = open === offer.catalog_id;
          const detailsId = `offer-details-${offer.catalog_id}`;
          const has = assigned.has(offer.catalog_id);
          return (
            <Fragment key={offer.catalog_id}>
              <tr className={expanded ? 'table__row--open' : undefined}>
                <td>
                  <button
                    type="button"
                    className="button--disclosure"
                    aria-expanded={expanded}
                    aria-controls={expanded ? detailsId : undefined}
                    onClick={() => setOpen(expanded ? null : offer.catalog_id)}
                  >
                    <span className="button--disclosure__icon" aria-hidden="true">
                      {expanded ? '▾' : '▸'}
                    </span>
                    {offer.name}
                  </button>
                </td>
                <td>{t(`samplingMethod.${offer.sampling_method}`, { defaultValue: offer.sampling_method })}</td>
                <td>{t('assign.validityDays', { count: offer.validity_days })}</td>
                <td>
                  {has ? (
                    <span className="tag">{t('assign.alreadyAssigned')}</span>
                  ) : (
                    <button
                      type="button"
                      className="button button--primary button--small"
                      aria-label={t('assign.assignNamed', { name: offer.name })}
                      disabled={assigningId !== null}
                      onClick={() => onAssign(offer)}
                    >
                      {assigningId === offer.catalog_id ? t('assign.assigning') : t('assign.assign')}
                    </button>
                  )}
                </td>
              </tr>
              {expanded && (
                <tr id={detailsId} className="table__details">
                  <td colSpan={4}>
                    <dl className="details-list">
                      <div>
                        <dt>{t('assign.catalogId')}</dt>
                        <dd>{offer.catalog_id}</dd>
                      </div>
                      <div>
                        <dt>{t('assign.samplingMethod')}</dt>
                        <dd>{t(`samplingMethod.${offer.sampling_method}`, { defaultValue: offer.sampling_method })}</dd>
                      </div>
                      <div>
                        <dt>{t('assign.validity')}</dt>
                        <dd>{t('assign.validityDays', { count: offer.validity_days })}</dd>
                      </div>
                      <div>
                        <dt>{t('assign.products')}</dt>
                        <dd>{offer.products.join(', ')}</dd>
                      </div>
                    </dl>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
