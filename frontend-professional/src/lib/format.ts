// Dates and times as Swedish staff read them, always in Swedish time.
const ZONE = 'Europe/Stockholm';

export function formatDateTime(value: string | null | undefined, language = 'sv'): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'sv-SE', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: ZONE,
  }).format(new Date(value));
}

export function formatDate(value: string | null | undefined, language = 'sv'): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'sv-SE', {
    dateStyle: 'short',
    timeZone: ZONE,
  }).format(new Date(value));
}

export function formatTime(value: string, language = 'sv'): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'sv-SE', {
    timeStyle: 'short',
    timeZone: ZONE,
  }).format(new Date(value));
}

/** A personnummer as typed: 10 or 12 digits, optionally with "-" or "+" before the last four. */
export function looksLikePersonnummer(value: string): boolean {
  return /^(\d{6}|\d{8})[-+]?\d{4}$/.test(value.trim());
}
