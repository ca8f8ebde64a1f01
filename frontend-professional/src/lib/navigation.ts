// Full-page navigation (login/logout leave the single-page app). Kept in one place so tests
// can observe it.
export const pageNavigation = {
  assign(url: string): void {
    window.location.assign(url);
  },
};

/** The app is served under /pro/; after SITHS login the backend sends the browser back here. */
export const APP_ROOT = '/pro/';

export function staffLoginUrl(returnTo: string = APP_ROOT): string {
  return `/auth/staff/login?return_to=${encodeURIComponent(returnTo)}`;
}
