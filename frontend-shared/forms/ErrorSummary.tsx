import { useEffect, useRef } from 'react';
import { useFormConventions } from './conventions';

export interface SummaryItem {
  /** Id of the field (or of the fieldset around a group) the message is about; none for general errors. */
  target?: string | null;
  message: string;
}

/**
 * Moves the focus to the field an error is about: the element itself when it is a control or
 * focusable (a fieldset with tabindex), else the first control inside it.
 */
export function focusField(id: string): void {
  const element = document.getElementById(id);
  if (!element) return;
  const isControl =
    element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement;
  const target =
    isControl || element.hasAttribute('tabindex')
      ? element
      : (element.querySelector<HTMLElement>('input, textarea, select') ?? element);
  target.focus();
  target.scrollIntoView?.({ block: 'center' });
}

/**
 * The list of what to fix, at the top of a form, each with a link to its field (WCAG 3.3.1).
 * It takes the focus when it appears and whenever `focusKey` changes (a new failed submit), so
 * keyboard and screen reader users land on it; without `focusKey`, whenever the errors change.
 */
export function ErrorSummary({ items, focusKey }: { items: SummaryItem[]; focusKey?: number | string }) {
  const { errorSummaryTitle } = useFormConventions();
  const ref = useRef<HTMLDivElement>(null);
  const signature = focusKey ?? items.map((i) => `${i.target ?? ''}:${i.message}`).join('|');
  useEffect(() => {
    if (signature !== '') ref.current?.focus();
  }, [signature]);
  if (items.length === 0) return null;
  return (
    <div ref={ref} className="error-summary" tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        {errorSummaryTitle}
      </h2>
      <ul>
        {items.map((item, index) => (
          <li key={`${item.target ?? 'general'}-${index}`}>
            {item.target ? (
              <a
                href={`#${item.target}`}
                onClick={(event) => {
                  event.preventDefault();
                  focusField(item.target ?? '');
                }}
              >
                {item.message}
              </a>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
