import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useLaboratory, useRetireLaboratory, useUpdateLaboratory } from '../api/laboratories';
import { EditPage } from '../components/EditPage';
import { LaboratoryForm } from '../components/LaboratoryForm';
import { ResultTemplates } from '../components/ResultTemplates';
import { RetiredTag } from '../components/RetiredTag';

export function LaboratoryEditPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  return (
    <EditPage
      query={useLaboratory(code)}
      update={useUpdateLaboratory(code)}
      retire={useRetireLaboratory(code)}
      list={{ to: '/admin/laboratorier', title: t('admin.sections.laboratories.title') }}
      heading={(lab) => t('admin.labs.editTitle', { name: lab.name })}
      meta={(lab) => (
        <>
          {t('admin.labs.meta', { code: lab.code, region: lab.region_code, version: lab.version })}
          {lab.retired && <RetiredTag />}
        </>
      )}
      retiredNote={t('admin.labs.retiredNote')}
      saved={() => t('admin.saved')}
      retiring={{
        title: t('admin.labs.retireTitle'),
        text: t('admin.labs.retireText'),
        question: (lab) => t('admin.labs.retireConfirm', { name: lab.name }),
        done: t('admin.labs.retired'),
      }}
    >
      {({ item, etag, save, saving, serverError }) => (
        <>
          <LaboratoryForm
            key={etag}
            lab={item}
            readOnly={item.retired}
            saving={saving}
            serverError={serverError}
            onSave={save}
          />
          <ResultTemplates code={item.code} readOnly={item.retired} />
        </>
      )}
    </EditPage>
  );
}
