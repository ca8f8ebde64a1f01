import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useCareUnit, useRetireCareUnit, useUpdateCareUnit } from '../api/careUnits';
import { CareUnitForm } from '../components/CareUnitForm';
import { EditPage } from '../components/EditPage';

export function CareUnitEditPage() {
  const { t } = useTranslation();
  const { hsaId = '' } = useParams();
  return (
    <EditPage
      query={useCareUnit(hsaId)}
      update={useUpdateCareUnit(hsaId)}
      retire={useRetireCareUnit(hsaId)}
      list={{ to: '/admin/vardenheter', title: t('admin.sections.careUnits.title') }}
      heading={(unit) => unit.name}
      meta={(unit) => (
        <>
          {t('admin.cu.meta', { hsaId: unit.hsa_id, region: unit.region_name, version: unit.version })}
          {unit.retired && ` – ${t('admin.retired')}`}
        </>
      )}
      saved={() => t('admin.saved')}
      retiring={{
        title: t('admin.cu.retireTitle'),
        text: t('admin.cu.retireText'),
        question: (unit) => t('admin.cu.retireConfirm', { name: unit.name }),
        done: t('admin.cu.retired'),
      }}
    >
      {({ item, etag, save, saving, serverError }) => (
        <CareUnitForm
          key={etag}
          mode="edit"
          form="cu"
          unit={item}
          saving={saving}
          serverError={serverError}
          onUpdate={save}
        />
      )}
    </EditPage>
  );
}
