// The launch token of the deep link lives in the URL fragment (never sent to servers) and,
// across the SITHS login, in sessionStorage under one key until it has been used.
export const LAUNCH_STORAGE_KEY = 'egen-provhantering-pro.launch';

export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('launch');
  return token && token.length > 0 ? token : null;
}

export function storeToken(token: string): void {
  try {
    window.sessionStorage.setItem(LAUNCH_STORAGE_KEY, token);
  } catch {
    // Storage unavailable: the token then only lives in memory on this page.
  }
}

export function storedToken(): string | null {
  try {
    return window.sessionStorage.getItem(LAUNCH_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function forgetToken(): void {
  try {
    window.sessionStorage.removeItem(LAUNCH_STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}
