// Full-page navigation (login/logout leave the single-page app). Kept in one place so tests
// can observe it.
export const pageNavigation = {
  assign(url: string): void {
    window.location.assign(url);
  },
};
