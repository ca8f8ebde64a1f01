import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

/** The heading of a step in the order flow; takes the focus when the step is shown. */
export function StepHeading({ id, children, focus }: { id: string; children: ReactNode; focus: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <h2 ref={ref} id={id} tabIndex={-1} className="step__heading">
      {children}
    </h2>
  );
}
