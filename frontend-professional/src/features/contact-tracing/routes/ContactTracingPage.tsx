import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import type { ContactTracingHomeTest } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { PersonnummerSearchForm } from '../../../components/PersonnummerSearchForm';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDate } from '../../../lib/format';
import { hasStatus } from '../../../lib/problems';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';
import { useContactTracingSearch } from '../api/contactTracing';

/**
 * Smittspårning (manual 4.8): whether a person did a chlamydia/gonorrhoea home test here and
 * got an answer, and when — never whether it was positive or negative (the server does not
 * send it).
 */
export function ContactTracingPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('contactTracing.title'));
  const me = useStaffMe();
  const searching = useContactTracingSearch();
  const resultHeading = useRef<HTMLHeadingElement>(null);

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  const unit = selectedAssignment(me.data);
  if (!unit) return <Navigate to="/valj-vardenhet" replace />;

  const day = (value: string | null | undefined) => (value ? formatDate(value, i18n.language) : '–');
  const answer = (test: ContactTracingHomeTest) =>
    test.answered ? t('contactTracing.answeredOn', { date: day(test.answered_on) }) : t('contactTracing.notAnswered');

  const found = searching.data;
  return (
    <>
      <h1>{t('contactTracing.title')}</h1>
      <p className="lead">{t('contactTracing.intro')}</p>
      <p>
        {t('contactTracing.careUnit', { unit: unit.care_unit_name })}{' '}
        <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link>
      </p>
      <PersonnummerSearchForm
        id="contact-tracing-personnummer"
        label={t('contactTracing.personnummer')}
        submitLabel={t('contactTracing.search')}
        busy={searching.isPending}
        serverError={searching.error}
        onSearch={(personnummer) =>
          searching.mutate(personnummer, { onSuccess: () => requestAnimationFrame(() => resultHeading.current?.focus()) })
        }
      />
      {hasStatus(searching.error, 404) ? (
        <div className="alert alert--error" role="alert">
          <p>{t('contactTracing.notFound')}</p>
        </div>
      ) : (
        <ProblemAlert error={searching.error} />
      )}
      {found && (
        <section aria-labelledby="contact-tracing-result">
          <h2 id="contact-tracing-result" ref={resultHeading} tabIndex={-1}>
            {t('contactTracing.patient', { name: found.patient.name, personnummer: found.patient.personnummer })}
          </h2>
          {found.home_tests.length === 0 ? (
            <p role="status">{t('contactTracing.none')}</p>
          ) : (
            <div className="table-scroll">
              <table className="table table--dense">
                <caption>{t('contactTracing.caption', { count: found.home_tests.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('contactTracing.columns.test')}</th>
                    <th scope="col">{t('contactTracing.columns.ordered')}</th>
                    <th scope="col">{t('contactTracing.columns.sampled')}</th>
                    <th scope="col">{t('contactTracing.columns.answer')}</th>
                    <th scope="col">{t('contactTracing.columns.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {found.home_tests.map((test) => (
                    <tr key={test.order_id}>
                      <td>
                        {test.tested_for.join(', ')}
                        <br />
                        <span className="muted">
                          {test.offer_name} ({t(`samplingMethod.${test.sampling_method}`)})
                        </span>
                      </td>
                      <td className="nowrap">{day(test.ordered_on)}</td>
                      <td className="nowrap">{day(test.sampled_on)}</td>
                      <td>{answer(test)}</td>
                      <td>{t(`contactTracing.state.${test.state}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </>
  );
}
