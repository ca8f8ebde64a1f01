import { createContext, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

interface HelpTextsValue {
  /** Whether forms show their help texts (toggled from the top bar). */
  enabled: boolean;
  toggle: () => void;
}

const HelpTextsContext = createContext<HelpTextsValue | null>(null);

export function HelpTextsProvider({ children }: { children: ReactNode }) {
  const [enabled, setEnabled] = useState(false);
  const value = useMemo(() => ({ enabled, toggle: () => setEnabled((on) => !on) }), [enabled]);
  return <HelpTextsContext.Provider value={value}>{children}</HelpTextsContext.Provider>;
}

export function useHelpTexts(): HelpTextsValue {
  const value = useContext(HelpTextsContext);
  if (!value) throw new Error('useHelpTexts must be used inside <HelpTextsProvider>');
  return value;
}

/** A help text that is shown only while help texts are switched on. */
export function HelpText({ id, children }: { id?: string; children: ReactNode }) {
  const { enabled } = useHelpTexts();
  if (!enabled) return null;
  return (
    <p id={id} className="help-text">
      {children}
    </p>
  );
}
