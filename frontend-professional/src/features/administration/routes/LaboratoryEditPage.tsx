import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { isStaleVersion } from '../../../lib/problems';
import { useLaboratory, useRetireLaboratory, useUpdateLaboratory } from '../api/adminApi';
import { LaboratoryForm } from '../components/LaboratoryForm';
import { Notice } from '../components/Notice';
import { ResultTemplates } from '../components/ResultTemplates';
import { RetireSection } from '../components/RetireSection';

export function LaboratoryEditPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const lab = useLaboratory(code);
  const update = useUpdateLaboratory(code);
  const retire = useRetireLaboratory(code);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(lab.data ? t('admin.labs.editTitle', { name: lab.data.item.name }) : t('admin.sections.laboratories.title'));

  if (lab.isPending) return <Loading />;
  if (lab.isError) return <ErrorAlert error={lab.error} onRetry={() => void lab.refetch()} />;
  const { item, etag } = lab.data;

  const reload = () => {
    update.reset();
    retire.reset();
    setNotice(null);
    void lab.refetch();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/laboratorier">{t('admin.sections.laboratories.title')}</Link>
      </p>
      <h1>{t('admin.labs.editTitle', { name: item.name })}</h1>
      <p className="muted">
        {t('admin.labs.meta', { code: item.code, region: item.region_code, version: item.version })}
        {item.retired && (
          <>
            {' '}
            <span className="tag tag--retired">{t('admin.decommissioned')}</span>
          </>
        )}
      </p>
      <Notice message={notice} />
      {item.retired && (
        <div className="alert">
          <p>{t('admin.labs.retiredNote')}</p>
        </div>
      )}
      <ProblemAlert error={update.error} onReload={isStaleVersion(update.error) ? reload : undefined} />
      <LaboratoryForm
        key={etag}
        lab={item}
        readOnly={item.retired}
        saving={update.isPending}
        serverError={update.error}
        onSave={(body) => {
          setNotice(null);
          retire.reset();
          update.mutate({ body, etag }, { onSuccess: () => setNotice(t('admin.saved')) });
        }}
      />
      <ResultTemplates code={item.code} readOnly={item.retired} />
      {!item.retired && (
        <RetireSection
          title={t('admin.labs.retireTitle')}
          text={t('admin.labs.retireText')}
          question={t('admin.labs.retireConfirm', { name: item.name })}
          busy={retire.isPending}
          error={retire.error}
          onReload={reload}
          onConfirm={(close) => {
            setNotice(null);
            update.reset();
            retire.mutate(etag, { onSuccess: () => setNotice(t('admin.labs.retired')), onSettled: close });
          }}
        />
      )}
    </>
  );
}
