import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import type { TreatmentResultOut, TreatmentTakeoverOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { PersonnummerSearchForm } from '../../../components/PersonnummerSearchForm';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDate, formatDateTime } from '../../../lib/format';
import { hasStatus } from '../../../lib/problems';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';
import { useSearchPositiveResults, useTakeOver } from '../api/treatmentResponsibility';
import { TakeoverDialog } from '../components/TakeoverDialog';

/**
 * Behandlingsansvar (manual 4.7): any staff member with an assignment registers that their care
 * unit took over treatment of a patient with a positive chlamydia (or gonorrhoea) result; the
 * STD clinic following the result sees it in its worklist. Search by personnummer, choose the
 * result, confirm.
 */
export function TreatmentResponsibilityPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('treatment.title'));
  const me = useStaffMe();
  const searching = useSearchPositiveResults();
  const takingOver = useTakeOver();
  const [personnummer, setPersonnummer] = useState('');
  const [chosen, setChosen] = useState<TreatmentResultOut | null>(null);
  const [done, setDone] = useState<TreatmentTakeoverOut | null>(null);
  const chooser = useRef<HTMLElement | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const outcome = useRef<HTMLDivElement>(null);

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  const unit = selectedAssignment(me.data);
  if (!unit) return <Navigate to="/valj-vardenhet" replace state={{ returnTo: '/behandlingsansvar' }} />;

  const search = (value: string) => {
    setPersonnummer(value);
    setDone(null);
    takingOver.reset();
    searching.mutate(value, { onSuccess: () => requestAnimationFrame(() => resultHeading.current?.focus()) });
  };
  const cancel = () => {
    setChosen(null);
    // Once the dialog (and its focus containment) is gone.
    window.setTimeout(() => chooser.current?.focus(), 0);
  };
  const confirm = () => {
    if (!chosen) return;
    takingOver.mutate(
      { personnummer, resultId: chosen.id },
      {
        onSuccess: (made) => {
          setDone(made);
          setChosen(null);
          // The search shows the take-over too.
          searching.mutate(personnummer);
          requestAnimationFrame(() => outcome.current?.focus());
        },
        onError: () => setChosen(null),
      },
    );
  };

  const takeoversText = (result: TreatmentResultOut) =>
    result.takeovers
      .map((takeover) =>
        t('treatment.takenOverBy', {
          name: takeover.taken_by_name ?? takeover.taken_by_hsa_id,
          unit: takeover.care_unit_name,
          at: formatDateTime(takeover.taken_at, i18n.language),
        }),
      )
      .join('; ');

  const found = searching.data;
  return (
    <>
      <h1>{t('treatment.title')}</h1>
      <p className="lead">{t('treatment.intro')}</p>
      <p>
        {t('treatment.careUnit', { unit: unit.care_unit_name })}{' '}
        <Link to="/valj-vardenhet" state={{ returnTo: '/behandlingsansvar' }}>
          {t('modules.changeCareUnit')}
        </Link>
      </p>
      <PersonnummerSearchForm
        id="treatment-personnummer"
        label={t('treatment.personnummer')}
        submitLabel={t('treatment.search')}
        busy={searching.isPending}
        serverError={searching.error}
        onSearch={search}
      />
      {hasStatus(searching.error, 404) ? (
        <div className="alert alert--error" role="alert">
          <p>{t('treatment.notFound')}</p>
        </div>
      ) : (
        <ProblemAlert error={searching.error} />
      )}
      <ProblemAlert error={takingOver.error} />
      {done && (
        <div className="alert alert--success" role="status" ref={outcome} tabIndex={-1}>
          <p>
            {done.already_taken_over
              ? t('treatment.already', {
                  name: done.takeover.taken_by_name ?? done.takeover.taken_by_hsa_id,
                  at: formatDateTime(done.takeover.taken_at, i18n.language),
                })
              : t('treatment.registered', {
                  unit: done.takeover.care_unit_name,
                  clinic: done.result.result_care_unit_name ?? t('treatment.theClinic'),
                })}
          </p>
        </div>
      )}
      {found && (
        <section aria-labelledby="treatment-result">
          <h2 id="treatment-result" ref={resultHeading} tabIndex={-1}>
            {t('treatment.patient', { name: found.patient.name, personnummer: found.patient.personnummer })}
          </h2>
          {found.results.length === 0 ? (
            <p role="status">{t('treatment.none')}</p>
          ) : (
            <div className="table-scroll">
              <table className="table table--dense">
                <caption>{t('treatment.caption', { count: found.results.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('treatment.columns.analysis')}</th>
                    <th scope="col">{t('treatment.columns.sampled')}</th>
                    <th scope="col">{t('treatment.columns.answered')}</th>
                    <th scope="col">{t('treatment.columns.clinic')}</th>
                    <th scope="col">{t('treatment.columns.takenOver')}</th>
                    <th scope="col">{t('treatment.columns.choose')}</th>
                  </tr>
                </thead>
                <tbody>
                  {found.results.map((result) => {
                    const ours = result.takeovers.some((x) => x.care_unit_hsa_id === unit.care_unit_hsa_id);
                    return (
                      <tr key={result.id}>
                        <td>
                          {result.product_name}
                          <br />
                          <span className="muted">{result.offer_name}</span>
                        </td>
                        <td className="nowrap">{formatDate(result.sampling_date, i18n.language)}</td>
                        <td className="nowrap">{formatDateTime(result.result_at, i18n.language)}</td>
                        <td>{result.result_care_unit_name ?? '–'}</td>
                        <td>{result.takeovers.length === 0 ? t('treatment.notTakenOver') : takeoversText(result)}</td>
                        <td>
                          {ours ? (
                            <span className="tag">{t('treatment.yours')}</span>
                          ) : (
                            <button
                              type="button"
                              className="button button--primary button--small"
                              aria-label={t('treatment.chooseFor', { analysis: result.product_name })}
                              onClick={(event) => {
                                chooser.current = event.currentTarget;
                                setChosen(result);
                              }}
                            >
                              {t('treatment.choose')}
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {chosen && found && (
        <TakeoverDialog busy={takingOver.isPending} onConfirm={confirm} onCancel={cancel}>
          <p>
            {t('treatment.confirm.text', {
              unit: unit.care_unit_name,
              name: found.patient.name,
              personnummer: found.patient.personnummer,
              analysis: chosen.product_name,
              date: formatDate(chosen.sampling_date, i18n.language),
            })}
          </p>
          <p>{t('treatment.confirm.worklist', { clinic: chosen.result_care_unit_name ?? t('treatment.theClinic') })}</p>
        </TakeoverDialog>
      )}
    </>
  );
}
