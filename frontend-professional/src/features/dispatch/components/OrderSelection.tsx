import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** Markera alla: one checkbox for every listed order (mixed while only some are chosen). */
export function SelectAll({
  ids,
  selected,
  onChange,
  id,
}: {
  ids: string[];
  selected: Set<string>;
  onChange: (next: Set<string>) => void;
  id: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLInputElement>(null);
  const chosen = ids.filter((i) => selected.has(i)).length;
  const all = ids.length > 0 && chosen === ids.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = chosen > 0 && !all;
  }, [chosen, all]);
  return (
    <div className="checkbox">
      <input
        ref={ref}
        type="checkbox"
        id={id}
        checked={all}
        disabled={ids.length === 0}
        onChange={() => onChange(all ? new Set() : new Set(ids))}
      />
      <label htmlFor={id}>{t('dispatch.selectAll')}</label>
    </div>
  );
}

export function toggled(selected: Set<string>, id: string): Set<string> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
