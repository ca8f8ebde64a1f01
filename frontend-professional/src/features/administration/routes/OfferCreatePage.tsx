import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { useCreateOffer } from '../api/offers';
import { OfferForm } from '../components/OfferForm';

export function OfferCreatePage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.offers.newTitle'));
  const navigate = useNavigate();
  const create = useCreateOffer();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/erbjudanden">{t('admin.sections.offers.title')}</Link>
      </p>
      <h1>{t('admin.offers.newTitle')}</h1>
      <ProblemAlert error={create.error} />
      <OfferForm
        form="offer-new"
        saving={create.isPending}
        serverError={create.error}
        submitLabel={t('admin.offers.create')}
        onSave={(body) =>
          create.mutate(body, {
            onSuccess: (result) =>
              void navigate(`/admin/erbjudanden/${encodeURIComponent(result.item.catalog_id)}`, {
                state: {
                  notice: t('admin.offers.created', { name: result.item.name, catalogId: result.item.catalog_id }),
                },
              }),
          })
        }
      />
    </>
  );
}
