import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import type { AssignedOfferOut } from '@shared/client/types.gen';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { hasStatus } from '../../../lib/problems';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';
import { useAssignOffer, useFindPatient, useRemoveAssignedOffer } from '../api/useAssignment';
import type { OfferForPatient, PatientOffers } from '../api/useAssignment';
import { problemSlug } from '@shared/lib/problems';
import { AssignableOffersTable, audienceText } from '../components/AssignableOffersTable';
import { AssignedToPatientTable } from '../components/AssignedToPatientTable';
import { PatientSearchForm } from '../components/PatientSearchForm';

/** Router state from the deep link (uthopp): the patient to search for. Never in the URL. */
interface LaunchState {
  personnummer?: string;
}

export function AssignOfferPage() {
  const { t } = useTranslation();
  usePageTitle(t('assign.title'));
  const me = useStaffMe();
  const location = useLocation();
  const navigate = useNavigate();
  const unit = me.data ? selectedAssignment(me.data) : undefined;
  const find = useFindPatient();
  const assign = useAssignOffer();
  const remove = useRemoveAssignedOffer();
  const [patient, setPatient] = useState<PatientOffers | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [refusedOffer, setRefusedOffer] = useState<OfferForPatient | null>(null);
  const [confirming, setConfirming] = useState<{ item: AssignedOfferOut; opener: HTMLButtonElement } | null>(null);
  const patientHeading = useRef<HTMLHeadingElement>(null);
  const assignedHeading = useRef<HTMLHeadingElement>(null);
  const launched = useRef(false);
  // Read once: the state is cleared right after (see below), the form keeps what was typed.
  const [initial] = useState(() => (location.state as LaunchState | null)?.personnummer ?? '');

  const search = (personnummer: string) => {
    setNotice(null);
    assign.reset();
    find.mutate(personnummer, {
      onSuccess: (data) => {
        setPatient(data);
        window.setTimeout(() => patientHeading.current?.focus(), 0);
      },
      onError: () => setPatient(null),
    });
  };

  // Opened from the journal: search for the patient at once, then forget the router state.
  useEffect(() => {
    if (!initial || launched.current) return;
    launched.current = true;
    search(initial);
    void navigate(location.pathname, { replace: true, state: null });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, for the state we arrived with
  }, [initial]);

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  if (!unit) return <Navigate to="/valj-vardenhet" replace />;

  const onAssign = (offer: OfferForPatient) => {
    if (!patient) return;
    setNotice(null);
    setRefusedOffer(offer);
    assign.mutate(
      { personnummer: patient.patient.personnummer, catalogId: offer.catalog_id },
      {
        onSuccess: (created) => {
          setPatient({ ...patient, assigned: [created, ...patient.assigned] });
          setNotice(t('assign.assigned', { offer: offer.name, name: fullName(patient) }));
        },
      },
    );
  };

  const onRemoveConfirmed = () => {
    if (!confirming || !patient) return;
    const { item } = confirming;
    remove.mutate(item.id, {
      onSuccess: () => {
        setPatient({ ...patient, assigned: patient.assigned.filter((a) => a.id !== item.id) });
        setNotice(t('assign.removed', { offer: item.offer_name }));
        setConfirming(null);
        window.setTimeout(() => assignedHeading.current?.focus(), 0);
      },
      onError: () => setConfirming(null),
    });
  };

  const assignedIds = new Set(patient?.assigned.map((a) => a.catalog_id) ?? []);

  return (
    <>
      <h1>{t('assign.title')}</h1>
      <p>
        {t('assign.careUnit', { unit: unit.care_unit_name })}{' '}
        <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link>
      </p>
      <p className="muted">{t('assign.intro')}</p>

      <PatientSearchForm
        initial={initial}
        searching={find.isPending}
        error={find.error}
        onSearch={search}
      />
      {find.isError && !hasStatus(find.error, 422, 404) && <ProblemAlert error={find.error} />}

      <div aria-live="polite" className="live-region">
        {notice && <div className="alert alert--success"><p>{notice}</p></div>}
      </div>

      {patient && (
        <section aria-labelledby="patient-heading" className="panel">
          <h2 id="patient-heading" ref={patientHeading} tabIndex={-1}>
            {t('assign.patientHeading', { name: fullName(patient) })}
          </h2>
          <dl className="details-list details-list--inline">
            <div>
              <dt>{t('assign.personnummer')}</dt>
              <dd>{patient.patient.personnummer}</dd>
            </div>
            <div>
              <dt>{t('assign.age')}</dt>
              <dd>{t('assign.years', { count: patient.patient.age })}</dd>
            </div>
            <div>
              <dt>{t('assign.legalSex')}</dt>
              <dd>{t(`assign.sex.${patient.patient.legal_sex}`)}</dd>
            </div>
          </dl>

          <h3 className="section-title">{t('assign.offersHeading')}</h3>
          {assign.isError && (
            <AssignError error={assign.error} offer={refusedOffer} />
          )}
          {patient.assignable.length === 0 ? (
            <p>{t('assign.noOffers')}</p>
          ) : (
            <AssignableOffersTable
              offers={patient.assignable}
              assigned={assignedIds}
              assigningId={assign.isPending ? (assign.variables?.catalogId ?? null) : null}
              onAssign={onAssign}
            />
          )}

          <h3 className="section-title" ref={assignedHeading} tabIndex={-1}>
            {t('assign.assignedHeading')}
          </h3>
          {remove.isError && <ProblemAlert error={remove.error} />}
          {patient.assigned.length === 0 ? (
            <p>{t('assign.noneAssigned')}</p>
          ) : (
            <AssignedToPatientTable
              assigned={patient.assigned}
              onRemove={(item, opener) => {
                remove.reset();
                setConfirming({ item, opener });
              }}
            />
          )}
        </section>
      )}

      {confirming && (
        <ConfirmDialog
          title={t('assign.removeTitle')}
          confirmLabel={t('assign.remove')}
          busy={remove.isPending}
          onConfirm={onRemoveConfirmed}
          onCancel={() => {
            const opener = confirming.opener;
            setConfirming(null);
            window.setTimeout(() => opener.focus(), 0);
          }}
        >
          <p>
            {t('assign.removeText', {
              offer: confirming.item.offer_name,
              name: patient ? fullName(patient) : '',
            })}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function fullName(patient: PatientOffers): string {
  return `${patient.patient.given_name} ${patient.patient.family_name}`;
}

function AssignError({ error, offer }: { error: unknown; offer: OfferForPatient | null }) {
  const { t } = useTranslation();
  if (problemSlug(error) === 'offer-not-for-patient') {
    return (
      <div className="alert alert--error" role="alert">
        <p>{t('assign.notForPatient', { audience: offer ? audienceText(t, offer) : t('assign.audience.unknown') })}</p>
      </div>
    );
  }
  if (hasStatus(error, 409)) {
    return (
      <div className="alert alert--error" role="alert">
        <p>{t('assign.conflict')}</p>
      </div>
    );
  }
  return <ProblemAlert error={error} />;
}
