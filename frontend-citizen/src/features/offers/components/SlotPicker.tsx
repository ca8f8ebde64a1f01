import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '@shared/forms';
import { formatDay, formatTime, stockholmDayKey } from '../../../lib/format';
import type { SlotOut } from '../api/offers';

export const VISIBLE_DAYS = 5;

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
  id: string;
  slots: SlotOut[];
  value: string;
  onChange: (slotId: string) => void;
  error?: string;
}

export function SlotPicker({ id, slots, value, onChange, error }: Props) {
  const { t, i18n } = useTranslation();
  const days = groupSlotsByDay(slots);
  const chosenIndex = days.findIndex((day) => day.slots.some((slot) => slot.slot_id === value));
  const [showAll, setShowAll] = useState(chosenIndex >= VISIBLE_DAYS);
  const firstHiddenDay = useRef<HTMLFieldSetElement>(null);
  const [focusFirstHidden, setFocusFirstHidden] = useState(false);
  const visible = showAll ? days : days.slice(0, VISIBLE_DAYS);
  const errorId = `${id}-error`;

  useEffect(() => {
    if (focusFirstHidden) firstHiddenDay.current?.querySelector('input')?.focus();
  }, [focusFirstHidden]);

  return (
    <fieldset
      id={id}
      className={`field fieldset${error ? ' field--error' : ''}`}
      aria-describedby={`${id}-hint${error ? ` ${errorId}` : ''}`}
    >
      <legend className="fieldset__legend">{t('order.booking.slot')}</legend>
      <p id={`${id}-hint`} className="field__hint">
        {t('order.booking.slotHint')}
      </p>
      <FieldError id={errorId} message={error} />
      {visible.map((day, index) => (
        <fieldset
          key={day.key}
          className="slot-day"
          ref={index === VISIBLE_DAYS ? firstHiddenDay : undefined}
        >
          <legend className="slot-day__legend">
            {formatDay(day.slots[0]?.starts_at ?? day.key, i18n.language)}
          </legend>
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
                    aria-invalid={error ? true : undefined}
                  />
                  <label htmlFor={slotId}>
                    {formatTime(slot.starts_at, i18n.language)}
                  </label>
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
      {!showAll && days.length > VISIBLE_DAYS && (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            setShowAll(true);
            setFocusFirstHidden(true);
          }}
        >
          {t('order.booking.showMore')}
        </button>
      )}
    </fieldset>
  );
}
