import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { ApiError } from '@shared/lib/http';
import { useStaffMe } from '../../../session/useStaffMe';
import { useSelectAssignment } from '../api/useSelectAssignment';
import { AssignmentForm } from '../components/AssignmentForm';

export function ChooseCareUnitPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  // A module that sent the staff member here to choose first (the /rba link) is opened after.
  const returnTo = (location.state as { returnTo?: unknown } | null)?.returnTo;
  const next = typeof returnTo === 'string' && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
  const me = useStaffMe();
  const select = useSelectAssignment();
  usePageTitle(t('context.title'));

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;

  const { assignments } = me.data;
  const rejected =
    select.isError && select.error instanceof ApiError && [403, 404, 422].includes(select.error.status);

  return (
    <>
      <h1>{t('context.title')}</h1>
      {assignments.length === 0 ? (
        <div className="alert alert--error" role="alert">
          <h2 className="alert__title">{t('context.noAssignmentsTitle')}</h2>
          <p>{t('context.noAssignments')}</p>
        </div>
      ) : (
        <>
          <p>{t('context.intro')}</p>
          {select.isError && !rejected && <ErrorAlert error={select.error} />}
          <AssignmentForm
            assignments={assignments}
            initial={me.data.selected_assignment_id}
            saving={select.isPending}
            rejected={rejected}
            onSubmit={(id) =>
              select.mutate(id, {
                onSuccess: () => void navigate(next),
              })
            }
          />
        </>
      )}
    </>
  );
}
