import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { useCreateCareUnit } from '../api/careUnits';
import { CareUnitForm } from '../components/CareUnitForm';

export function CareUnitCreatePage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.cu.newTitle'));
  const navigate = useNavigate();
  const create = useCreateCareUnit();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/vardenheter">{t('admin.sections.careUnits.title')}</Link>
      </p>
      <h1>{t('admin.cu.newTitle')}</h1>
      <ProblemAlert error={create.error} />
      <CareUnitForm
        mode="create"
        form="cu-new"
        saving={create.isPending}
        serverError={create.error}
        onCreate={(body) =>
          create.mutate(body, {
            onSuccess: (unit) =>
              void navigate(`/admin/vardenheter/${encodeURIComponent(unit.hsa_id)}`, {
                state: { notice: t('admin.cu.created', { name: unit.name }) },
              }),
          })
        }
      />
    </>
  );
}
