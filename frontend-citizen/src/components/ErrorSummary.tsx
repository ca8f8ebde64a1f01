import { useEffect, useRef } from 'react';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';

export interface SummaryError {
  /** Id of the field (or of the fieldset around a group) the message is about. */
  target: string | null;
  message: string;
}

interface Props {
  errors: SummaryError[];
  /** Changes on every failed submit: the summary then takes the focus again. */
  attempt: number;
}

/** Moves the focus to the field an error is about (first input of a group). */
export function focusField(id: string): void {
  const element = document.getElementById(id);
  if (!element) return;
  const target =
    element instanceof HTMLInputElement ||
    element instanceof HTMLTextAreaElement ||
    element instanceof HTMLSelectElement
      ? element
      : (element.querySelector<HTMLElement>('input, textarea, select') ?? element);
  target.focus();
  target.scrollIntoView?.({ block: 'center' });
}

/** The list of what to fix, at the top of a form; takes the focus when shown (WCAG 3.3.1). */
export function ErrorSummary({ errors, attempt }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [attempt]);

  const onClick = (event: MouseEvent<HTMLAnchorElement>, target: string) => {
    event.preventDefault();
    focusField(target);
  };

  return (
    <div
      ref={ref}
      className="error-summary"
      tabIndex={-1}
      role="alert"
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title" className="error-summary__title">
        {t('form.errorSummaryTitle')}
      </h2>
      <ul>
        {errors.map((error) => (
          <li key={`${error.target ?? ''}:${error.message}`}>
            {error.target ? (
              <a href={`#${error.target}`} onClick={(event) => onClick(event, error.target ?? '')}>
                {error.message}
              </a>
            ) : (
              error.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
