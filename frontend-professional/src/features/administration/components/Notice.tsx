import { useLocation } from 'react-router';

/** A success message, either given or handed over by the page that navigated here. */
export function Notice({ message }: { message?: string | null }) {
  const location = useLocation();
  const fromState = (location.state as { notice?: string } | null)?.notice;
  const text = message ?? fromState;
  return (
    <div aria-live="polite" className="live-region">
      {text && (
        <div className="alert alert--success">
          <p>{text}</p>
        </div>
      )}
    </div>
  );
}
