export const SAMPLING_METHODS = ['site_booking', 'site_drop_in', 'home_kit', 'anonymous_kit'] as const;
export type SamplingMethod = (typeof SAMPLING_METHODS)[number];

/** Orders carry the method as a plain string; known ones get their Swedish text. */
export function asSamplingMethod(value: string): SamplingMethod | null {
  return (SAMPLING_METHODS as readonly string[]).includes(value) ? (value as SamplingMethod) : null;
}
