import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ApiError } from '@shared/lib/http';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { isStaleVersion } from '../../../lib/problems';
import { useRetireSamplingUnit, useSamplingUnit, useUpdateSamplingUnit } from '../api/adminApi';
import { Notice } from '../components/Notice';
import { RetireSection } from '../components/RetireSection';
import { SamplingUnitForm } from '../components/SamplingUnitForm';
import { SlotsSection } from '../components/SlotsSection';

export function SamplingUnitEditPage() {
  const { t } = useTranslation();
  const { unitId = '' } = useParams();
  // Loaded on its own (GET /api/admin/sampling-units/{id}) for the ETag that every change sends.
  const loaded = useSamplingUnit(unitId);
  const update = useUpdateSamplingUnit(unitId);
  const retire = useRetireSamplingUnit(unitId);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(loaded.data ? loaded.data.item.name : t('admin.sections.samplingUnits.title'));

  if (loaded.isPending) return <Loading />;
  if (loaded.error instanceof ApiError && loaded.error.status === 404) {
    return (
      <>
        <h1>{t('admin.su.notFound')}</h1>
        <Link to="/admin/provtagningsenheter">{t('admin.sections.samplingUnits.title')}</Link>
      </>
    );
  }
  if (loaded.isError) return <ErrorAlert error={loaded.error} onRetry={() => void loaded.refetch()} />;
  const { item: unit, etag } = loaded.data;

  const reload = () => {
    update.reset();
    retire.reset();
    setNotice(null);
    void loaded.refetch();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/provtagningsenheter">{t('admin.sections.samplingUnits.title')}</Link>
      </p>
      <h1>{unit.name}</h1>
      <p className="muted">
        {t('admin.su.meta', { hsaId: unit.hsa_id, version: unit.version })}
        {unit.retired && (
          <>
            {' '}
            <span className="tag tag--retired">{t('admin.decommissioned')}</span>
          </>
        )}
      </p>
      <Notice message={notice} />
      {unit.retired && (
        <div className="alert">
          <p>{t('admin.su.retiredNote')}</p>
        </div>
      )}
      <ProblemAlert error={update.error} onReload={isStaleVersion(update.error) ? reload : undefined} />
      {!unit.retired && (
        <details className="panel">
          <summary>{t('admin.su.editDetails')}</summary>
          <SamplingUnitForm
            key={etag}
            form="su"
            existing
            initial={unit}
            saving={update.isPending}
            serverError={update.error}
            submitLabel={t('admin.save')}
            onSave={(body) => {
              setNotice(null);
              retire.reset();
              update.mutate({ body, etag }, { onSuccess: () => setNotice(t('admin.saved')) });
            }}
          />
        </details>
      )}
      <SlotsSection unitId={unit.id} readOnly={unit.retired} />
      {!unit.retired && (
        <RetireSection
          title={t('admin.su.retireTitle')}
          text={t('admin.su.retireText')}
          question={t('admin.su.retireConfirm', { name: unit.name })}
          conflictMessage={t('admin.su.retireConflict')}
          busy={retire.isPending}
          error={retire.error}
          onReload={reload}
          onConfirm={(close) => {
            setNotice(null);
            update.reset();
            retire.mutate(etag, { onSuccess: () => setNotice(t('admin.su.retired')), onSettled: close });
          }}
        />
      )}
    </>
  );
}
