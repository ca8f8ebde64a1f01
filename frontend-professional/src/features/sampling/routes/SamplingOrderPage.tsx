import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { LabelsOut, OpenedOrderOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ErrorSummary, formErrors } from '@shared/forms';
import { ApiError } from '@shared/lib/http';
import { problemSlug } from '@shared/lib/problems';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatDateTime } from '../../../lib/format';
import { samplingKeys } from '../../../lib/queryKeys';
import { hasStatus } from '../../../lib/problems';
import { PrintPanel } from '../../../printing/components/PrintPanel';
import { PrinterPicker } from '../../../printing/components/PrinterPicker';
import { networkPrinterOf, usePrinters } from '../../../printing/usePrinters';
import { useOpenedOrder, useReprint, useSampleOrder } from '../api/sampling';
import { CheckFailure, isCheckFailure } from '../components/CheckFailure';
import { statusKey } from '../../../lib/orderStatus';
import { OrderFlags } from '../components/OrderFlags';
import { SamplingTimeField } from '../components/SamplingTimeField';

const TIME_ID = 'sampling-time';
const LAB_ID = 'sampling-laboratory';

/** An order opened at this sampling unit: laboratory, the two checks, sampling time, labels. */
export function SamplingOrderPage() {
  const { orderId = '' } = useParams();
  const { t } = useTranslation();
  const [laboratoryCode, setLaboratoryCode] = useState<string | null>(null);
  // Opened without a laboratory first (the unit's laboratories, none chosen while there are
  // several); they stay on screen while a chosen one fails a check (that answer is a 409).
  const first = useOpenedOrder(orderId, null);
  const opened = useOpenedOrder(orderId, laboratoryCode);
  const laboratories = first.data?.opened.laboratories ?? [];

  const back = (
    <p className="breadcrumb">
      <Link to="/provtagning">{t('sampling.backToSearch')}</Link>
    </p>
  );
  if (opened.isPending) return <Loading />;
  if (opened.isError && !isCheckFailure(opened.error)) {
    return (
      <>
        {back}
        {hasStatus(opened.error, 404) ? (
          <div className="alert alert--error" role="alert">
            <p>{t('sampling.order.notFound')}</p>
          </div>
        ) : (
          <ErrorAlert error={opened.error} onRetry={() => void opened.refetch()} />
        )}
      </>
    );
  }
  const chosen = laboratories.find((l) => l.code === laboratoryCode);
  return (
    <>
      {back}
      {laboratories.length > 1 && !opened.data?.opened.sampled_at && (
        <LaboratoryChoice
          laboratories={laboratories}
          current={opened.data?.opened.laboratory?.code ?? laboratoryCode}
          onChoose={setLaboratoryCode}
        />
      )}
      {opened.isError ? (
        <CheckFailure error={opened.error} laboratory={chosen} />
      ) : (
        <OpenedOrder opened={opened.data.opened} etag={opened.data.etag} laboratoryCode={laboratoryCode} />
      )}
    </>
  );
}

function LaboratoryChoice({
  laboratories,
  current,
  onChoose,
}: {
  laboratories: OpenedOrderOut['laboratories'];
  current: string | null;
  onChoose: (code: string) => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState(current ?? '');
  return (
    <form
      className="search-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (value) onChoose(value);
      }}
    >
      <fieldset className="fieldset" id={LAB_ID}>
        <legend>{t('sampling.laboratory.legend')}</legend>
        <p className="field__hint">{t('sampling.laboratory.hint')}</p>
        {laboratories.map((lab) => (
          <div className="checkbox" key={lab.code}>
            <input
              type="radio"
              id={`${LAB_ID}-${lab.code}`}
              name={LAB_ID}
              value={lab.code}
              checked={value === lab.code}
              onChange={() => setValue(lab.code)}
            />
            <label htmlFor={`${LAB_ID}-${lab.code}`}>
              {lab.name} ({lab.code})
            </label>
          </div>
        ))}
      </fieldset>
      <button type="submit" className="button button--secondary" disabled={!value}>
        {t('sampling.laboratory.open')}
      </button>
    </form>
  );
}

function OpenedOrder({
  opened,
  etag,
  laboratoryCode,
}: {
  opened: OpenedOrderOut;
  etag: string | undefined;
  laboratoryCode: string | null;
}) {
  const { t, i18n } = useTranslation();
  const { order, patient } = opened;
  const printers = usePrinters({ network: true });
  const [labels, setLabels] = useState<LabelsOut | null>(null);
  const [conflict, setConflict] = useState<unknown>(null);
  const sampled = Boolean(opened.sampled_at);
  return (
    <>
      <h2>{t('sampling.order.heading', { offer: order.offer_name })}</h2>
      {conflict !== null && <SampledMeanwhile error={conflict} />}
      <OrderFlags order={order} />
      {order.other_region && (
        <div className="alert" role="note">
          <p>{t('sampling.order.otherRegion', { region: order.offer_region_name })}</p>
        </div>
      )}
      <dl className="details-list details-list--pairs">
        <dt>{t('sampling.order.patient')}</dt>
        <dd>
          {patient.name ?? t('sampling.unknownName')}, {patient.personnummer} ({patient.sex_mark})
        </dd>
        <dt>{t('sampling.columns.rid')}</dt>
        <dd className="mono">{order.rid}</dd>
        <dt>{t('sampling.columns.status')}</dt>
        <dd>{t(statusKey(order.status))}</dd>
        <dt>{t('sampling.columns.booked')}</dt>
        <dd>
          {order.booked_start
            ? `${formatDateTime(order.booked_start, i18n.language)} ${order.booked_unit_name ?? ''}`
            : t('sampling.dropIn')}
        </dd>
        <dt>{t('sampling.order.recipient')}</dt>
        <dd>
          {order.result_recipient.name} ({order.result_recipient.hsa_id})
        </dd>
        <dt>{t('sampling.order.laboratory')}</dt>
        <dd>
          {opened.laboratory ? `${opened.laboratory.name} (${opened.laboratory.code})` : t('sampling.order.chooseLaboratory')}
        </dd>
        {opened.sampled_at && (
          <>
            <dt>{t('sampling.order.sampledAt')}</dt>
            <dd>{formatDateTime(opened.sampled_at, i18n.language)}</dd>
          </>
        )}
      </dl>
      <div className="table-scroll">
        <table className="table table--dense">
          <caption>{t('sampling.order.linesCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sampling.order.product')}</th>
              <th scope="col">{t('sampling.order.nationalCode')}</th>
              <th scope="col">{t('sampling.order.labCode')}</th>
              <th scope="col">{t('sampling.order.tubeCode')}</th>
              <th scope="col">{t('sampling.order.material')}</th>
            </tr>
          </thead>
          <tbody>
            {opened.lines.map((line) => (
              <tr key={line.line_no}>
                <td>{line.product_name}</td>
                <td className="mono">{line.product_code}</td>
                <td className="mono">{line.lab_code ?? '–'}</td>
                <td className="mono">{line.tube_code ?? '–'}</td>
                <td>{line.material ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sampled && !labels && (
        <Reprint orderId={order.id} printers={printers} onPrinted={setLabels} sampledAt={opened.sampled_at ?? ''} />
      )}
      {!sampled && opened.laboratory && (
        <SampleForm
          opened={opened}
          etag={etag}
          laboratoryCode={laboratoryCode ?? opened.laboratory.code}
          queryKey={samplingKeys.order(order.id, laboratoryCode)}
          printers={printers}
          onSampled={setLabels}
          onConflict={setConflict}
        />
      )}
      {labels && (
        <section aria-labelledby="sampling-labels">
          <h2 id="sampling-labels" tabIndex={-1}>
            {t('sampling.labels.heading')}
          </h2>
          <div className="alert alert--success" role="status">
            <p>
              {labels.reprint
                ? t('sampling.labels.reprinted', { count: labels.label_count })
                : t('sampling.labels.sampled', {
                    time: formatDateTime(labels.opened.sampled_at, i18n.language),
                    count: labels.label_count,
                  })}
            </p>
          </div>
          <PrintPanel
            zpl={labels.zpl}
            title={t('sampling.labels.title', { rid: labels.opened.order.rid })}
            printers={printers}
            networkPrint={labels.network_print}
          />
        </section>
      )}
    </>
  );
}

interface CurrentState {
  order_status?: string;
  sampled_at?: string | null;
}

function SampleForm({
  opened,
  etag,
  laboratoryCode,
  queryKey,
  printers,
  onSampled,
  onConflict,
}: {
  opened: OpenedOrderOut;
  etag: string | undefined;
  laboratoryCode: string;
  /** The key the opened order is cached under (updated once sampled). */
  queryKey: ReturnType<typeof samplingKeys.order>;
  printers: ReturnType<typeof usePrinters>;
  onSampled: (labels: LabelsOut) => void;
  onConflict: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sample = useSampleOrder(opened.order.id);
  const [time, setTime] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);

  const errors = formErrors({
    fields: ['sampled_at', 'laboratory_code'] as const,
    labels: { sampled_at: t('sampling.sample.time'), laboratory_code: t('sampling.laboratory.legend') },
    idOf: (field) => (field === 'sampled_at' ? TIME_ID : LAB_ID),
    client: { sampled_at: clientError },
    server: sample.error,
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    if (!time) return setClientError(t('sampling.sample.timeRequired'));
    const at = new Date(time);
    if (Number.isNaN(at.getTime())) return setClientError(t('sampling.sample.timeInvalid'));
    if (at.getTime() > Date.now()) return setClientError(t('sampling.sample.timeFuture'));
    setClientError(undefined);
    sample.mutate(
      { etag, laboratoryCode, sampledAt: at.toISOString(), printer: networkPrinterOf(printers.printer) },
      {
        onSuccess: (labels) => {
          queryClient.setQueryData(queryKey, {
            opened: labels.opened,
            etag: `"${labels.opened.order.version}"`,
          });
          onSampled(labels);
          requestAnimationFrame(() => document.getElementById('sampling-labels')?.focus());
        },
        onError: (error) => {
          // Sampled by somebody else meanwhile (409 with its current state): show the order as it is now.
          if (hasStatus(error, 409) && !isCheckFailure(error)) {
            onConflict(error);
            void queryClient.invalidateQueries({ queryKey });
          }
        },
      },
    );
  };

  return (
    <form className="search-form" noValidate onSubmit={onSubmit} aria-labelledby="sampling-form-heading">
      <h2 id="sampling-form-heading">{t('sampling.sample.heading')}</h2>
      <ErrorSummary items={errors.summary} focusKey={attempt} />
      {isCheckFailure(sample.error) && (
        <CheckFailure error={sample.error} laboratory={opened.laboratory ?? undefined} />
      )}
      {!hasStatus(sample.error, 409) && <ProblemAlert error={sample.error} onReload={() => void queryClient.invalidateQueries({ queryKey })} />}
      <SamplingTimeField id={TIME_ID} value={time} onChange={setTime} error={errors.byField.sampled_at} />
      <PrinterPicker printers={printers} />
      <p className="field__hint">{t('sampling.sample.lockHint')}</p>
      <button type="submit" className="button button--primary" disabled={sample.isPending}>
        {t('sampling.sample.submit')}
      </button>
    </form>
  );
}

/** 409: another nurse sampled the order first; the answer carries its current state. */
function SampledMeanwhile({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  const current = (error instanceof ApiError ? error.problem : undefined) as CurrentState | undefined;
  const sampledMeanwhile = problemSlug(error) === 'order-already-sampled' || current?.order_status === 'sampled';
  return (
    <div className="alert alert--error" role="alert">
      <p>
        {sampledMeanwhile
          ? t('sampling.sample.alreadySampled', { time: formatDateTime(current?.sampled_at ?? null, i18n.language) })
          : t('sampling.sample.conflict', { status: current?.order_status ? t(statusKey(current.order_status)) : '' })}
      </p>
    </div>
  );
}

function Reprint({
  orderId,
  printers,
  sampledAt,
  onPrinted,
}: {
  orderId: string;
  printers: ReturnType<typeof usePrinters>;
  sampledAt: string;
  onPrinted: (labels: LabelsOut) => void;
}) {
  const { t, i18n } = useTranslation();
  const reprint = useReprint(orderId);
  return (
    <section aria-labelledby="sampling-reprint">
      <h2 id="sampling-reprint">{t('sampling.reprint.heading')}</h2>
      <p>{t('sampling.reprint.locked', { time: formatDateTime(sampledAt, i18n.language) })}</p>
      <PrinterPicker printers={printers} />
      <ProblemAlert error={reprint.error} />
      <button
        type="button"
        className="button button--primary"
        disabled={reprint.isPending}
        onClick={() =>
          reprint.mutate(networkPrinterOf(printers.printer), {
            onSuccess: (labels) => {
              onPrinted(labels);
              requestAnimationFrame(() => document.getElementById('sampling-labels')?.focus());
            },
          })
        }
      >
        {t('sampling.reprint.submit')}
      </button>
    </section>
  );
}
