import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

interface Props {
  open: boolean;
  /** Called when the user closes the dialog (Escape, or a button calling it). */
  onClose: () => void;
  title: string;
  id: string;
  children: ReactNode;
}

/**
 * A modal dialog on the native <dialog> element: the browser keeps the focus inside, closes on
 * Escape, makes the page behind inert and returns the focus to the button that opened it.
 */
export function Dialog({ open, onClose, title, id, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const titleId = `${id}-title`;
  return (
    <dialog
      ref={ref}
      id={id}
      className="dialog"
      aria-labelledby={titleId}
      onClose={() => {
        if (open) onClose();
      }}
    >
      {open && (
        <>
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          {children}
        </>
      )}
    </dialog>
  );
}
