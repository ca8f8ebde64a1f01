import { describe, expect, it } from 'vitest';
import { formatDateTime, stockholmDayKey, stockholmLocalToIso } from './format';

describe('Swedish local time', () => {
  it('turns a typed local date and time into ISO with the right offset', () => {
    expect(stockholmLocalToIso('2026-01-15', '09:30')).toBe('2026-01-15T09:30:00+01:00');
    expect(stockholmLocalToIso('2026-07-15', '09:30')).toBe('2026-07-15T09:30:00+02:00');
    expect(stockholmLocalToIso('2026-07-15', '')).toBeNull();
    expect(stockholmLocalToIso('15/7', '09:30')).toBeNull();
  });

  it('finds the Swedish day and formats in Swedish', () => {
    expect(stockholmDayKey('2026-06-30T22:30:00Z')).toBe('2026-07-01');
    expect(formatDateTime('2026-12-01T07:00:00Z', 'sv')).toBe('1 december 2026 kl. 08:00');
  });
});
