import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { isStaleVersion } from '../../../lib/problems';
import { useOffer, useRetireOffer, useUpdateOffer } from '../api/adminApi';
import { Notice } from '../components/Notice';
import { OfferForm } from '../components/OfferForm';

export function OfferEditPage() {
  const { t } = useTranslation();
  const { catalogId = '' } = useParams();
  const offer = useOffer(catalogId);
  const update = useUpdateOffer(catalogId);
  const retire = useRetireOffer(catalogId);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const retireButton = useRef<HTMLButtonElement>(null);
  usePageTitle(offer.data ? offer.data.item.name : t('admin.sections.offers.title'));

  if (offer.isPending) return <Loading />;
  if (offer.isError) return <ErrorAlert error={offer.error} onRetry={() => void offer.refetch()} />;
  const { item, etag } = offer.data;
  const error = update.error ?? retire.error;

  const reload = () => {
    update.reset();
    retire.reset();
    setNotice(null);
    void offer.refetch();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/erbjudanden">{t('admin.sections.offers.title')}</Link>
      </p>
      <h1>{item.name}</h1>
      <p className="muted">
        {t('admin.offers.meta', { catalogId: item.catalog_id, version: item.version })}
        {item.retired && ` – ${t('admin.retired')}`}
      </p>
      <Notice message={notice} />
      <ProblemAlert error={error} onReload={isStaleVersion(error) ? reload : undefined} />
      <p className="muted">{t('admin.offers.versionNote')}</p>
      <OfferForm
        key={etag}
        form="offer"
        existing
        initial={item}
        saving={update.isPending}
        serverError={update.error}
        submitLabel={t('admin.offers.saveVersion')}
        onSave={(body) => {
          setNotice(null);
          retire.reset();
          update.mutate(
            { body, etag },
            { onSuccess: (result) => setNotice(t('admin.offers.savedVersion', { version: result.item.version })) },
          );
        }}
      />
      {!item.retired && (
        <section aria-labelledby="retire-heading" className="danger-zone">
          <h2 id="retire-heading">{t('admin.offers.retireTitle')}</h2>
          <p>{t('admin.offers.retireText')}</p>
          <button ref={retireButton} type="button" className="button button--danger" onClick={() => setConfirming(true)}>
            {t('admin.offers.retire')}
          </button>
        </section>
      )}
      {confirming && (
        <ConfirmDialog
          title={t('admin.offers.retireTitle')}
          confirmLabel={t('admin.offers.retire')}
          busy={retire.isPending}
          onCancel={() => {
            setConfirming(false);
            window.setTimeout(() => retireButton.current?.focus(), 0);
          }}
          onConfirm={() => {
            update.reset();
            retire.mutate(etag, {
              onSuccess: () => setNotice(t('admin.offers.retired')),
              onSettled: () => setConfirming(false),
            });
          }}
        >
          <p>{t('admin.offers.retireConfirm', { name: item.name })}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
