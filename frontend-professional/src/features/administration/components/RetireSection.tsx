import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { isStaleVersion } from '../../../lib/problems';

interface Props {
  /** Heading and button text, e.g. "Avveckla laboratoriet". */
  title: string;
  /** What retiring means, shown on the page and again in the dialog. */
  text: ReactNode;
  /** The question in the dialog. */
  question: string;
  busy: boolean;
  /** The retire call's error: 409 (still in use) is shown here with its detail, 412 with reload. */
  error: unknown;
  conflictMessage?: string;
  onReload: () => void;
  /** Sends the retire call; `close` closes the dialog once it has settled. */
  onConfirm: (close: () => void) => void;
}

/**
 * "Avveckla …": a danger zone with a button that asks first (ConfirmDialog). Retiring is not
 * deleting, which the text explains. Focus returns to the button when the dialog closes.
 */
export function RetireSection({ title, text, question, busy, error, conflictMessage, onReload, onConfirm }: Props) {
  const [confirming, setConfirming] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setConfirming(false);
    window.setTimeout(() => button.current?.focus(), 0);
  };

  return (
    <section aria-labelledby="retire-heading" className="danger-zone">
      <h2 id="retire-heading">{title}</h2>
      <p>{text}</p>
      <ProblemAlert
        error={error}
        conflictMessage={conflictMessage}
        onReload={isStaleVersion(error) ? onReload : undefined}
      />
      <button ref={button} type="button" className="button button--danger" onClick={() => setConfirming(true)}>
        {title}
      </button>
      {confirming && (
        <ConfirmDialog title={title} confirmLabel={title} busy={busy} onCancel={close} onConfirm={() => onConfirm(close)}>
          <p>{question}</p>
          <p>{text}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
