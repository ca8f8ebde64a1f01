import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { isStaleVersion } from '../../../lib/problems';
import { useCareUnit, useRetireCareUnit, useUpdateCareUnit } from '../api/adminApi';
import { CareUnitForm } from '../components/CareUnitForm';
import { Notice } from '../components/Notice';

export function CareUnitEditPage() {
  const { t } = useTranslation();
  const { hsaId = '' } = useParams();
  const unit = useCareUnit(hsaId);
  const update = useUpdateCareUnit(hsaId);
  const retire = useRetireCareUnit(hsaId);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const retireButton = useRef<HTMLButtonElement>(null);
  usePageTitle(unit.data ? unit.data.item.name : t('admin.sections.careUnits.title'));

  if (unit.isPending) return <Loading />;
  if (unit.isError) return <ErrorAlert error={unit.error} onRetry={() => void unit.refetch()} />;
  const { item, etag } = unit.data;
  const error = update.error ?? retire.error;
  const reload = () => {
    update.reset();
    retire.reset();
    setNotice(null);
    void unit.refetch();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/vardenheter">{t('admin.sections.careUnits.title')}</Link>
      </p>
      <h1>{item.name}</h1>
      <p className="muted">
        {t('admin.cu.meta', { hsaId: item.hsa_id, region: item.region_name, version: item.version })}
        {item.retired && ` – ${t('admin.retired')}`}
      </p>
      <Notice message={notice} />
      <ProblemAlert error={error} onReload={isStaleVersion(error) ? reload : undefined} />
      <CareUnitForm
        key={etag}
        mode="edit"
        form="cu"
        unit={item}
        saving={update.isPending}
        serverError={update.error}
        onUpdate={(body) => {
          setNotice(null);
          retire.reset();
          update.mutate({ body, etag }, { onSuccess: () => setNotice(t('admin.saved')) });
        }}
      />
      {!item.retired && (
        <section aria-labelledby="retire-heading" className="danger-zone">
          <h2 id="retire-heading">{t('admin.cu.retireTitle')}</h2>
          <p>{t('admin.cu.retireText')}</p>
          <button ref={retireButton} type="button" className="button button--danger" onClick={() => setConfirming(true)}>
            {t('admin.cu.retire')}
          </button>
        </section>
      )}
      {confirming && (
        <ConfirmDialog
          title={t('admin.cu.retireTitle')}
          confirmLabel={t('admin.cu.retire')}
          busy={retire.isPending}
          onCancel={() => {
            setConfirming(false);
            window.setTimeout(() => retireButton.current?.focus(), 0);
          }}
          onConfirm={() => {
            update.reset();
            retire.mutate(etag, {
              onSuccess: () => setNotice(t('admin.cu.retired')),
              onSettled: () => setConfirming(false),
            });
          }}
        >
          <p>{t('admin.cu.retireConfirm', { name: item.name })}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
