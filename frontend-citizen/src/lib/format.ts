// Dates and times as people in Sweden read them: always in Swedish local time, whatever the
// browser's own time zone. The API sends and expects ISO 8601 with an offset.
export const TIME_ZONE = 'Europe/Stockholm';

function locale(language: string): string {
  return language.startsWith('en') ? 'en-GB' : 'sv-SE';
}

function format(iso: string, language: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale(language), { timeZone: TIME_ZONE, ...options }).format(
    new Date(iso),
  );
}

/** "4 december 2026 kl. 09:15" style (date and time). */
export function formatDateTime(iso: string, language: string): string {
  return format(iso, language, { dateStyle: 'long', timeStyle: 'short' });
}

/** "4 december 2026". Accepts a plain date ("2026-12-04") as well. */
export function formatDate(iso: string, language: string): string {
  const value = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso;
  return format(value, language, { dateStyle: 'long' });
}

/** "torsdag 4 december" – the heading of one day of times. */
export function formatDay(iso: string, language: string): string {
  return format(iso, language, { weekday: 'long', day: 'numeric', month: 'long' });
}

/** "09:15". */
export function formatTime(iso: string, language: string): string {
  return format(iso, language, { hour: '2-digit', minute: '2-digit' });
}

function stockholmParts(date: Date): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const result: Record<string, number> = {};
  for (const part of parts) {
    if (part.type !== 'literal') result[part.type] = Number(part.value);
  }
  return result;
}

/** The Swedish calendar day of an instant, "2026-12-04": the key that groups times by day. */
export function stockholmDayKey(iso: string): string {
  const p = stockholmParts(new Date(iso));
  const pad = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes Stockholm is ahead of UTC at an instant (60 in winter, 120 in summer). */
function stockholmOffsetMinutes(date: Date): number {
  const p = stockholmParts(date);
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return Math.round((asUtc - date.getTime()) / 60_000);
}

/**
 * A date ("2026-12-04") and a time ("09:15") typed as Swedish local time, as ISO 8601 with the
 * right offset ("2026-12-04T09:15:00+01:00"). Null when either is not a valid value.
 */
export function stockholmLocalToIso(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const wallClock = Date.UTC(year, month - 1, day, hour, minute);
  // Two rounds settle the offset also next to a daylight-saving change.
  let offset = stockholmOffsetMinutes(new Date(wallClock));
  offset = stockholmOffsetMinutes(new Date(wallClock - offset * 60_000));
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${date}T${time}:00${sign}${hh}:${mm}`;
}
