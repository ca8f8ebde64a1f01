// Full-page navigation (login/logout leave the single-page app) is shared; the login URLs are
// this app's.
export { pageNavigation } from '@shared/lib/navigation';

/** The app is served under /pro/; after SITHS login the backend sends the browser back here. */
export const APP_ROOT = '/pro/';

export function staffLoginUrl(returnTo: string = APP_ROOT): string {
  return `/auth/staff/login?return_to=${encodeURIComponent(returnTo)}`;
}
