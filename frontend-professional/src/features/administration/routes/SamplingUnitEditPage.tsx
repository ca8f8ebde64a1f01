import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Loading } from '../../../components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { isStaleVersion } from '../../../lib/problems';
import { useSamplingUnits, useUpdateSamplingUnit } from '../api/adminApi';
import { Notice } from '../components/Notice';
import { SamplingUnitForm } from '../components/SamplingUnitForm';
import { SlotsSection } from '../components/SlotsSection';

export function SamplingUnitEditPage() {
  const { t } = useTranslation();
  const { unitId = '' } = useParams();
  const units = useSamplingUnits();
  const update = useUpdateSamplingUnit(unitId);
  const [notice, setNotice] = useState<string | null>(null);
  const unit = units.data?.find((u) => u.id === unitId);
  usePageTitle(unit ? unit.name : t('admin.sections.samplingUnits.title'));

  if (units.isPending) return <Loading />;
  if (units.isError) return <ErrorAlert error={units.error} onRetry={() => void units.refetch()} />;
  if (!unit) {
    return (
      <>
        <h1>{t('admin.su.notFound')}</h1>
        <Link to="/admin/provtagningsenheter">{t('admin.sections.samplingUnits.title')}</Link>
      </>
    );
  }

  const reload = () => {
    update.reset();
    setNotice(null);
    void units.refetch();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/provtagningsenheter">{t('admin.sections.samplingUnits.title')}</Link>
      </p>
      <h1>{unit.name}</h1>
      <p className="muted">{t('admin.su.meta', { hsaId: unit.hsa_id, version: unit.version })}</p>
      <Notice message={notice} />
      <ProblemAlert error={update.error} onReload={isStaleVersion(update.error) ? reload : undefined} />
      <details className="panel">
        <summary>{t('admin.su.editDetails')}</summary>
        <SamplingUnitForm
          key={unit.version}
          form="su"
          existing
          initial={unit}
          saving={update.isPending}
          serverError={update.error}
          submitLabel={t('admin.save')}
          onSave={(body) => {
            setNotice(null);
            update.mutate({ body, etag: `"${unit.version}"` }, { onSuccess: () => setNotice(t('admin.saved')) });
          }}
        />
      </details>
      <SlotsSection unitId={unit.id} />
    </>
  );
}
