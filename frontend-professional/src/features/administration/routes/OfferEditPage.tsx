import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useOffer, useRetireOffer, useUpdateOffer } from '../api/offers';
import { EditPage } from '../components/EditPage';
import { OfferForm } from '../components/OfferForm';

export function OfferEditPage() {
  const { t } = useTranslation();
  const { catalogId = '' } = useParams();
  return (
    <EditPage
      query={useOffer(catalogId)}
      update={useUpdateOffer(catalogId)}
      retire={useRetireOffer(catalogId)}
      list={{ to: '/admin/erbjudanden', title: t('admin.sections.offers.title') }}
      heading={(offer) => offer.name}
      meta={(offer) => (
        <>
          {t('admin.offers.meta', { catalogId: offer.catalog_id, version: offer.version })}
          {offer.retired && ` – ${t('admin.retired')}`}
        </>
      )}
      saved={(result) => t('admin.offers.savedVersion', { version: result.item.version })}
      retiring={{
        title: t('admin.offers.retireTitle'),
        text: t('admin.offers.retireText'),
        question: (offer) => t('admin.offers.retireConfirm', { name: offer.name }),
        done: t('admin.offers.retired'),
      }}
    >
      {({ item, etag, save, saving, serverError }) => (
        <>
          <p className="muted">{t('admin.offers.versionNote')}</p>
          <OfferForm
            key={etag}
            form="offer"
            existing
            initial={item}
            saving={saving}
            serverError={serverError}
            submitLabel={t('admin.offers.saveVersion')}
            onSave={save}
          />
        </>
      )}
    </EditPage>
  );
}
