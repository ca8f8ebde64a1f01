// Full-page navigation (login/logout leave the single-page app) is shared; the login URLs are
// this app's.
export { pageNavigation } from '@shared/lib/navigation';

export function citizenLoginUrl(returnTo: string): string {
  return `/auth/citizen/login?return_to=${encodeURIComponent(returnTo)}`;
}
