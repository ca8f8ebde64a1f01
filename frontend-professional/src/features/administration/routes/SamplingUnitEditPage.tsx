import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useRetireSamplingUnit, useSamplingUnit, useUpdateSamplingUnit } from '../api/samplingUnits';
import { EditPage } from '../components/EditPage';
import { RetiredTag } from '../components/RetiredTag';
import { SamplingUnitForm } from '../components/SamplingUnitForm';
import { SlotsSection } from '../components/SlotsSection';

export function SamplingUnitEditPage() {
  const { t } = useTranslation();
  const { unitId = '' } = useParams();
  const listTitle = t('admin.sections.samplingUnits.title');
  return (
    <EditPage
      // Loaded on its own (GET /api/admin/sampling-units/{id}) for the ETag that every change sends.
      query={useSamplingUnit(unitId)}
      update={useUpdateSamplingUnit(unitId)}
      retire={useRetireSamplingUnit(unitId)}
      list={{ to: '/admin/provtagningsenheter', title: listTitle }}
      heading={(unit) => unit.name}
      meta={(unit) => (
        <>
          {t('admin.su.meta', { hsaId: unit.hsa_id, version: unit.version })}
          {unit.retired && <RetiredTag />}
        </>
      )}
      notFound={
        <>
          <h1>{t('admin.su.notFound')}</h1>
          <Link to="/admin/provtagningsenheter">{listTitle}</Link>
        </>
      }
      retiredNote={t('admin.su.retiredNote')}
      saved={() => t('admin.saved')}
      retiring={{
        title: t('admin.su.retireTitle'),
        text: t('admin.su.retireText'),
        question: (unit) => t('admin.su.retireConfirm', { name: unit.name }),
        conflictMessage: t('admin.su.retireConflict'),
        done: t('admin.su.retired'),
      }}
    >
      {({ item: unit, etag, save, saving, serverError }) => (
        <>
          {!unit.retired && (
            <details className="panel">
              <summary>{t('admin.su.editDetails')}</summary>
              <SamplingUnitForm
                key={etag}
                form="su"
                existing
                initial={unit}
                saving={saving}
                serverError={serverError}
                submitLabel={t('admin.save')}
                onSave={save}
              />
            </details>
          )}
          <SlotsSection unitId={unit.id} readOnly={unit.retired} />
        </>
      )}
    </EditPage>
  );
}
