import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '@shared/forms';
import { formatDay, formatTime, stockholmDayKey } from '../../../lib/format';
import type { SlotOut } from '../api/offers';

export interface SlotDay {
  /** Swedish calendar day, "2026-12-04". */
  key: string;
  slots: SlotOut[];
}

/** Free times grouped by their day in Swedish local time, days and times in order. */
export function groupSlotsByDay(slots: SlotOut[]): SlotDay[] {
  const days = new Map<string, SlotOut[]>();
  const sorted = [...slots].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  for (const slot of sorted) {
    const key = stockholmDayKey(slot.starts_at);
    const list = days.get(key);
    if (list) list.push(slot);
    else days.set(key, [slot]);
  }
  return [...days.entries()].map(([key, daySlots]) => ({ key, slots: daySlots }));
}

interface Props {
  /** Id of the part an error about the time refers to (the times, or the days before one is chosen). */
  id: string;
  slots: SlotOut[];
  value: string;
  onChange: (slotId: string) => void;
  error?: string;
}

/**
 * A day first, then a time on that day: two short lists instead of every time of two weeks
 * on one page (which was ~4,800 px tall on a phone).
 */
export function SlotPicker({ id, slots, value, onChange, error }: Props) {
  const { t, i18n } = useTranslation();
  const days = groupSlotsByDay(slots);
  const dayOfValue = days.find((d) => d.slots.some((slot) => slot.slot_id === value))?.key;
  const [chosenDay, setChosenDay] = useState<string>(
    () => dayOfValue ?? (days.length === 1 ? (days[0]?.key ?? '') : ''),
  );
  const day = days.find((d) => d.key === (dayOfValue ?? chosenDay));
  const dayLabel = (d: SlotDay) => formatDay(d.slots[0]?.starts_at ?? d.key, i18n.language);
  // An error about the time belongs to the times once a day is chosen, else to the days.
  const daysId = day ? `${id}-day` : id;
  const dayError = day ? undefined : error;
  const timeError = day ? error : undefined;

  return (
    <>
      <fieldset
        id={daysId}
        className={`field fieldset${dayError ? ' field--error' : ''}`}
        aria-describedby={`${id}-day-hint${dayError ? ` ${daysId}-error` : ''}`}
      >
        <legend className="fieldset__legend">{t('order.booking.day')}</legend>
        <p id={`${id}-day-hint`} className="field__hint">
          {t('order.booking.dayHint')}
        </p>
        <FieldError id={`${daysId}-error`} message={dayError} />
        <div className="day-grid">
          {days.map((d) => {
            const inputId = `${id}-day-${d.key}`;
            return (
              <div className="day-option" key={d.key}>
                <input
                  id={inputId}
                  type="radio"
                  name={`${id}-day`}
                  value={d.key}
                  checked={day?.key === d.key}
                  onChange={() => {
                    setChosenDay(d.key);
                    if (value) onChange('');
                  }}
                  aria-invalid={dayError ? true : undefined}
                />
                <label htmlFor={inputId}>
                  <span className="day-option__name">{dayLabel(d)}</span>
                  <span className="day-option__free">{t('order.booking.dayFree', { count: d.slots.length })}</span>
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
      {day && (
        <fieldset
          id={id}
          className={`field fieldset${timeError ? ' field--error' : ''}`}
          aria-describedby={timeError ? `${id}-error` : undefined}
        >
          <legend className="fieldset__legend">{t('order.booking.slotOnDay', { day: dayLabel(day) })}</legend>
          <FieldError id={`${id}-error`} message={timeError} />
          <div className="slot-grid">
            {day.slots.map((slot) => {
              const slotId = `${id}-${slot.slot_id}`;
              return (
                <div className="slot" key={slot.slot_id}>
                  <input
                    id={slotId}
                    type="radio"
                    name={id}
                    value={slot.slot_id}
                    checked={value === slot.slot_id}
                    onChange={() => onChange(slot.slot_id)}
                    aria-invalid={timeError ? true : undefined}
                  />
                  <label htmlFor={slotId}>{formatTime(slot.starts_at, i18n.language)}</label>
                </div>
              );
            })}
          </div>
        </fieldset>
      )}
    </>
  );
}
