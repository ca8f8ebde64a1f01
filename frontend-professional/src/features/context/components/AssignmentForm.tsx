import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assignment } from '../../../session/useStaffMe';

interface Props {
  assignments: Assignment[];
  initial: string | null;
  saving: boolean;
  rejected: boolean;
  onSubmit: (assignmentId: string) => void;
}

export function AssignmentForm({ assignments, initial, saving, rejected, onSubmit }: Props) {
  const { t } = useTranslation();
  const errorId = useId();
  // A single assignment is preselected; it is still shown and confirmed with Fortsätt.
  const only = assignments.length === 1 ? assignments[0]!.assignment_id : null;
  const [chosen, setChosen] = useState<string | null>(initial ?? only);
  const [missing, setMissing] = useState(false);
  const error = missing ? t('context.required') : rejected ? t('context.rejected') : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) {
      setMissing(true);
      return;
    }
    setMissing(false);
    onSubmit(chosen);
  };

  return (
    <form onSubmit={submit} noValidate>
      <fieldset className="choice-group" aria-describedby={error ? errorId : undefined}>
        <legend>{t('context.legend')}</legend>
        {error && (
          <p id={errorId} className="field-error" role="alert">
            {error}
          </p>
        )}
        {assignments.map((a) => {
          const id = `assignment-${a.assignment_id}`;
          return (
            <div key={a.assignment_id} className="choice">
              <input
                type="radio"
                id={id}
                name="assignment"
                value={a.assignment_id}
                checked={chosen === a.assignment_id}
                onChange={() => setChosen(a.assignment_id)}
              />
              <label htmlFor={id}>
                <span className="choice__title">{a.care_unit_name}</span>
                <span className="choice__detail">{t('context.careGiver', { name: a.care_giver_name })}</span>
                <span className="choice__detail">{t('context.purpose', { purpose: a.purpose })}</span>
              </label>
            </div>
          );
        })}
      </fieldset>
      <button type="submit" className="button button--primary" disabled={saving}>
        {saving ? t('context.saving') : t('context.continue')}
      </button>
    </form>
  );
}
