import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { CheckboxGroup, ErrorSummary, TextField, formErrors } from '@shared/forms';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatDate, formatTime } from '../../../lib/format';
import { useCloseDay, useCreateSlots, useSlots } from '../api/samplingUnits';
import { DAY, fieldId, isInteger, useFormValues } from './formHelpers';

const FIELDS = ['first_day', 'last_day', 'weekdays', 'start', 'end', 'minutes', 'capacity', 'closed_days'] as const;
type F = (typeof FIELDS)[number];
const FORM = 'slots';

function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

/**
 * Bookable times of a sampling unit: add by a weekly rule, list a week, close a day (asks
 * first). A retired unit's times are only listed.
 */
export function SlotsSection({ unitId, readOnly = false }: { unitId: string; readOnly?: boolean }) {
  const { t, i18n } = useTranslation();
  const create = useCreateSlots(unitId);
  const close = useCloseDay(unitId);
  const { values, set } = useFormValues({
    first_day: '',
    last_day: '',
    weekdays: ['0', '1', '2', '3', '4'],
    start: '08:00',
    end: '12:00',
    minutes: '15',
    capacity: '1',
    closed_days: '',
  });
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [showFrom, setShowFrom] = useState(today());
  const [closeDayValue, setCloseDayValue] = useState('');
  const [closeError, setCloseError] = useState<string | null>(null);
  const [confirmingClose, setConfirmingClose] = useState(false);
  const closeButton = useRef<HTMLButtonElement>(null);
  const slots = useSlots(unitId, DAY.test(showFrom) ? showFrom : '', 7);

  const labels: Record<F, string> = {
    first_day: t('admin.slots.firstDay'),
    last_day: t('admin.slots.lastDay'),
    weekdays: t('admin.slots.weekdays'),
    start: t('admin.slots.start'),
    end: t('admin.slots.end'),
    minutes: t('admin.slots.minutes'),
    capacity: t('admin.slots.capacity'),
    closed_days: t('admin.slots.closedDays'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(FORM, f), client, server: create.error });
  const weekdayOptions = [0, 1, 2, 3, 4, 5, 6].map((d) => ({ value: String(d), label: t(`admin.slots.day${d}` as 'admin.slots.day0') }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const found: Partial<Record<F, string>> = {};
    if (!DAY.test(values.first_day)) found.first_day = t('admin.dateRequired');
    if (!DAY.test(values.last_day)) found.last_day = t('admin.dateRequired');
    else if (values.first_day && values.last_day < values.first_day) found.last_day = t('admin.slots.lastBeforeFirst');
    if (values.weekdays.length === 0) found.weekdays = t('admin.slots.weekdaysRequired');
    if (!/^\d{2}:\d{2}$/.test(values.start)) found.start = t('admin.timeRequired');
    if (!/^\d{2}:\d{2}$/.test(values.end)) found.end = t('admin.timeRequired');
    else if (values.end <= values.start) found.end = t('admin.slots.endBeforeStart');
    if (!isInteger(values.minutes, 5, 240)) found.minutes = t('admin.between', { min: 5, max: 240 });
    if (!isInteger(values.capacity, 1, 100)) found.capacity = t('admin.between', { min: 1, max: 100 });
    const closedDays = values.closed_days.split(/[\s,;]+/).filter(Boolean);
    if (closedDays.some((d) => !DAY.test(d))) found.closed_days = t('admin.slots.closedDaysInvalid');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      {
        first_day: values.first_day,
        last_day: values.last_day,
        weekdays: values.weekdays.map(Number).sort(),
        start: values.start,
        end: values.end,
        minutes: Number(values.minutes),
        capacity: Number(values.capacity),
        closed_days: closedDays,
      },
      {
        onSuccess: (result) => {
          setNotice(t('admin.slots.created', { count: result.created }));
          setShowFrom(values.first_day);
        },
      },
    );
  };

  const submitClose = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    if (!DAY.test(closeDayValue)) {
      setCloseError(t('admin.dateRequired'));
      return;
    }
    setCloseError(null);
    close.reset();
    setConfirmingClose(true);
  };

  const endConfirmClose = () => {
    setConfirmingClose(false);
    window.setTimeout(() => closeButton.current?.focus(), 0);
  };

  return (
    <section aria-labelledby="slots-heading">
      <h2 id="slots-heading">{t('admin.slots.title')}</h2>
      <div aria-live="polite" className="live-region">
        {notice && (
          <div className="alert alert--success">
            <p>{notice}</p>
          </div>
        )}
      </div>
      {!readOnly && (
        <>
          <h3>{t('admin.slots.add')}</h3>
          <form onSubmit={submit} noValidate>
            <ErrorSummary items={errors.summary} />
            <ProblemAlert error={create.error} />
            <div className="row-fields">
              <TextField id={fieldId(FORM, 'first_day')} type="date" label={labels.first_day} helpKey="slots.first_day" required value={values.first_day} onChange={set('first_day')} error={errors.byField.first_day} />
              <TextField id={fieldId(FORM, 'last_day')} type="date" label={labels.last_day} required value={values.last_day} onChange={set('last_day')} error={errors.byField.last_day} />
            </div>
            <CheckboxGroup
              id={fieldId(FORM, 'weekdays')}
              legend={labels.weekdays}
              helpKey="slots.weekdays"
              options={weekdayOptions}
              values={values.weekdays}
              onChange={set('weekdays')}
              error={errors.byField.weekdays}
            />
            <div className="row-fields">
              <TextField id={fieldId(FORM, 'start')} type="time" label={labels.start} required size="small" value={values.start} onChange={set('start')} error={errors.byField.start} />
              <TextField id={fieldId(FORM, 'end')} type="time" label={labels.end} required size="small" value={values.end} onChange={set('end')} error={errors.byField.end} />
              <TextField id={fieldId(FORM, 'minutes')} type="number" min={5} max={240} label={labels.minutes} helpKey="slots.minutes" required size="small" value={values.minutes} onChange={set('minutes')} error={errors.byField.minutes} />
              <TextField id={fieldId(FORM, 'capacity')} type="number" min={1} max={100} label={labels.capacity} helpKey="slots.capacity" required size="small" value={values.capacity} onChange={set('capacity')} error={errors.byField.capacity} />
            </div>
            <TextField
              id={fieldId(FORM, 'closed_days')}
              label={labels.closed_days}
              hint={t('admin.slots.closedDaysHint')}
              helpKey="slots.closed_days"
              value={values.closed_days}
              onChange={set('closed_days')}
              error={errors.byField.closed_days}
            />
            <button type="submit" className="button button--primary" disabled={create.isPending}>
              {t('admin.slots.create')}
            </button>
          </form>
        </>
      )}

      <h3>{t('admin.slots.list')}</h3>
      <TextField id="slots-show-from" type="date" label={t('admin.slots.showFrom')} value={showFrom} onChange={setShowFrom} />
      {slots.isPending ? (
        <Loading />
      ) : slots.isError ? (
        <ErrorAlert error={slots.error} onRetry={() => void slots.refetch()} />
      ) : slots.data.length === 0 ? (
        <p>{t('admin.slots.none')}</p>
      ) : (
        <table className="table table--dense">
          <caption className="visually-hidden">{t('admin.slots.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.slots.day')}</th>
              <th scope="col">{t('admin.slots.time')}</th>
              <th scope="col">{t('admin.slots.capacity')}</th>
              <th scope="col">{t('admin.slots.booked')}</th>
            </tr>
          </thead>
          <tbody>
            {slots.data.map((slot) => (
              <tr key={slot.id}>
                <td>{formatDate(slot.starts_at, i18n.language)}</td>
                <td>
                  {formatTime(slot.starts_at, i18n.language)}–{formatTime(slot.ends_at, i18n.language)}
                </td>
                <td className="numeric">{slot.capacity}</td>
                <td className="numeric">{slot.booked}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {!readOnly && (
        <>
          <h3>{t('admin.slots.closeTitle')}</h3>
          <form onSubmit={submitClose} noValidate className="inline-form">
            <TextField
              id="close-day"
              type="date"
              label={t('admin.slots.closeDay')}
              hint={t('admin.slots.closeHint')}
              value={closeDayValue}
              onChange={setCloseDayValue}
              error={closeError ?? undefined}
            />
            <button ref={closeButton} type="submit" className="button button--secondary" disabled={close.isPending}>
              {t('admin.slots.closeButton')}
            </button>
          </form>
          <ProblemAlert error={close.error} />
          {confirmingClose && (
            <ConfirmDialog
              title={t('admin.slots.closeConfirmTitle')}
              confirmLabel={t('admin.slots.closeButton')}
              busy={close.isPending}
              onCancel={endConfirmClose}
              onConfirm={() =>
                close.mutate(closeDayValue, {
                  onSuccess: () => setNotice(t('admin.slots.closed', { day: closeDayValue })),
                  onSettled: endConfirmClose,
                })
              }
            >
              <p>{t('admin.slots.closeConfirm', { day: closeDayValue })}</p>
            </ConfirmDialog>
          )}
        </>
      )}
    </section>
  );
}
