import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { OfferForPatient } from '../api/useAssignment';

/** Whom an offer is for, in Swedish: "män 40–75 år", "kvinnor", "alla från 18 år". */
export function audienceText(t: TFunction, offer: Pick<OfferForPatient, 'sex' | 'min_age' | 'max_age'>): string {
  const who = t(`assign.audience.${offer.sex ?? 'all'}`);
  const { min_age: min, max_age: max } = offer;
  if (min !== null && max !== null) return t('assign.audience.between', { who, min, max });
  if (min !== null) return t('assign.audience.from', { who, min });
  if (max !== null) return t('assign.audience.upTo', { who, max });
  return who;
}

interface Props {
  offers: OfferForPatient[];
  /** Catalog ids the patient already has from this unit. */
  assigned: Set<string>;
  assigningId: string | null;
  onAssign: (offer: OfferForPatient) => void;
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
                  ) : !offer.eligible ? (
                    // Not for this patient: no button; what the offer is for, in words.
                    <span className="not-eligible">
                      <span className="tag">{t('assign.notEligible')}</span>{' '}
                      {t(`assign.ineligible.${offer.ineligible_reason ?? 'age'}`, { audience: audienceText(t, offer) })}
                    </span>
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
                      <div>
                        <dt>{t('assign.audience.label')}</dt>
                        <dd>{audienceText(t, offer)}</dd>
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
