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
  integrationClients: [...admin, 'integration-clients'] as const,
  integrationClient: (clientId: string) => [...admin, 'integration-client', clientId] as const,
  insightTexts: [...admin, 'insight-texts'] as const,
};

// Technical operation (operators and central administrators): the outbox's dead letters.
const operator = ['operator'] as const;
export const operatorKeys = {
  deadLetters: [...operator, 'dead-letters'] as const,
  deadLetterPage: (page: number) => [...operator, 'dead-letters', page] as const,
};

// Provtagning (issue 8): per care unit, since the sampling unit follows the chosen context.
const sampling = ['sampling'] as const;
export const samplingKeys = {
  all: sampling,
  bookings: (careUnitHsaId: string) => [...sampling, 'bookings', careUnitHsaId] as const,
  sampled: (careUnitHsaId: string, page: number) => [...sampling, 'sampled', careUnitHsaId, page] as const,
  printLog: (careUnitHsaId: string, page: number) => [...sampling, 'print-log', careUnitHsaId, page] as const,
  order: (orderId: string, laboratoryCode: string | null) => [...sampling, 'order', orderId, laboratoryCode] as const,
  printers: [...sampling, 'printers'] as const,
};

// Etiketter and Ordermottagning (issue 8): the kit orders waiting for dispatch.
const dispatch = ['dispatch'] as const;
export const dispatchKeys = {
  all: dispatch,
  waiting: (kind: 'labels' | 'order_receipt', careUnitHsaId: string) => [...dispatch, kind, careUnitHsaId] as const,
};

// Zebra Browser Print: the local agent's devices on this workstation.
export const printingKeys = {
  browserPrint: (baseUrl: string) => ['printing', 'browser-print', baseUrl] as const,
  preview: (zpl: string) => ['printing', 'preview', zpl] as const,
};

// Arbetslista (issue 10): per care unit; `lists` is the prefix of every page and filter shown,
// `changes` the polling of the unit's change token since a given token.
const worklist = ['worklist'] as const;
export const worklistKeys = {
  all: worklist,
  lists: (careUnitHsaId: string) => [...worklist, 'list', careUnitHsaId] as const,
  list: (careUnitHsaId: string, query: unknown) => [...worklist, 'list', careUnitHsaId, query] as const,
  changes: (careUnitHsaId: string, since: string) => [...worklist, 'changes', careUnitHsaId, since] as const,
  comments: (careUnitHsaId: string, itemId: string) => [...worklist, 'comments', careUnitHsaId, itemId] as const,
};

// Svarsregistrering and Svarslogg (issue 10): per care unit, since the orders shown are those
// whose results the chosen unit registers.
const resultRegistration = ['result-registration'] as const;
export const resultRegistrationKeys = {
  all: resultRegistration,
  order: (careUnitHsaId: string, orderId: string) => [...resultRegistration, 'order', careUnitHsaId, orderId] as const,
  logs: (careUnitHsaId: string) => [...resultRegistration, 'log', careUnitHsaId] as const,
  log: (careUnitHsaId: string, query: unknown) => [...resultRegistration, 'log', careUnitHsaId, query] as const,
};
