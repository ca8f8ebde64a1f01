import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { useCreateSamplingUnit } from '../api/samplingUnits';
import { SamplingUnitForm } from '../components/SamplingUnitForm';

export function SamplingUnitCreatePage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.su.newTitle'));
  const navigate = useNavigate();
  const create = useCreateSamplingUnit();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/provtagningsenheter">{t('admin.sections.samplingUnits.title')}</Link>
      </p>
      <h1>{t('admin.su.newTitle')}</h1>
      <ProblemAlert error={create.error} />
      <SamplingUnitForm
        form="su-new"
        saving={create.isPending}
        serverError={create.error}
        submitLabel={t('admin.su.create')}
        onSave={(body) =>
          create.mutate(body, {
            onSuccess: (unit) =>
              void navigate(`/admin/provtagningsenheter/${unit.id}`, {
                state: { notice: t('admin.su.created', { name: unit.name }) },
              }),
          })
        }
      />
    </>
  );
}
