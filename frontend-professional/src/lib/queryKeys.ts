// Query keys of this app, built here only (no literal keys elsewhere). Each level is a prefix of
// the ones below it, so invalidating `adminKeys.slotsOf(unit)` reaches every week shown of it.
const staff = ['staff'] as const;
const admin = ['admin'] as const;

export const staffKeys = {
  me: [...staff, 'me'] as const,
  helpTexts: [...staff, 'help-texts'] as const,
  assignedOffers: (careUnitHsaId: string, query: unknown) => [...staff, 'assigned-offers', careUnitHsaId, query] as const,
  assignableOffers: (careUnitHsaId: string) => [...staff, 'assignable-offers', careUnitHsaId] as const,
};

export const adminKeys = {
  regions: [...admin, 'regions'] as const,
  careUnits: [...admin, 'care-units'] as const,
  careUnit: (hsaId: string) => [...admin, 'care-unit', hsaId] as const,
  samplingUnits: [...admin, 'sampling-units'] as const,
  samplingUnit: (unitId: string) => [...admin, 'sampling-unit', unitId] as const,
  slotsOf: (unitId: string) => [...admin, 'slots', unitId] as const,
  slots: (unitId: string, firstDay: string, days: number) => [...admin, 'slots', unitId, firstDay, days] as const,
  laboratories: [...admin, 'laboratories'] as const,
  laboratory: (code: string) => [...admin, 'laboratory', code] as const,
  resultTemplates: (code: string) => [...admin, 'result-templates', code] as const,
  products: [...admin, 'products'] as const,
  offers: [...admin, 'offers'] as const,
  offer: (catalogId: string) => [...admin, 'offer', catalogId] as const,
  permissions: [...admin, 'permissions'] as const,
};
