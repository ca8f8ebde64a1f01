// Fixtures of Provtagning, Etiketter and Ordermottagning (issue 8), at Vårdcentralen Kungsholmen.
import type { KitOrderOut, KitOrdersOut, OpenedOrderOut, SearchOut, StaffMe } from '@shared/client/types.gen';
import { staffMeWithoutContext } from './fakeBackend';

export const UNIT = 'SE2321000016-1001';

export function staffMeWith(...modules: string[]): StaffMe {
  return {
    ...staffMeWithoutContext,
    selected_assignment_id: 'uppdrag-1',
    modules: modules.map((module) => ({ module, care_unit_hsa_id: UNIT })),
  };
}

type Summary = SearchOut['orders'][number];

export function orderSummary(overrides: Partial<Summary> = {}): Summary {
  return {
    id: 'order-1',
    rid: '1234 5678 9012',
    version: 1,
    status: 'ordered',
    offer_name: 'Klamydiatest på provtagningsenhet',
    catalog_id: '2001',
    sampling_method: 'site_booking',
    created_at: '2026-12-01T08:00:00Z',
    handled_at: null,
    booked_start: '2026-12-01T09:20:00Z',
    booked_unit_name: 'Provtagningen Kungsholmen',
    offer_region_code: '01',
    offer_region_name: 'Region Stockholm',
    other_region: false,
    booked_elsewhere: false,
    result_recipient: { hsa_id: 'SE2321000016-1001', name: 'Vårdcentralen Kungsholmen' },
    ...overrides,
  };
}

export const patient = { personnummer: '19121212-1212', name: 'Tolvan Tolvansson', legal_sex: 'M' as const, sex_mark: 'M' as const };

export const searchResult: SearchOut = {
  sampling_unit: { hsa_id: UNIT, name: 'Provtagningen Kungsholmen' },
  patient,
  orders: [
    orderSummary(),
    orderSummary({
      id: 'order-2',
      rid: '2222 3333 4444',
      offer_name: 'Hepatitprov för besökare',
      other_region: true,
      offer_region_code: '12',
      offer_region_name: 'Region Skåne',
      booked_start: null,
      booked_unit_name: null,
      sampling_method: 'site_drop_in',
    }),
  ],
};

export const LAB_A = { code: 'LABA', name: 'Karolinska Lab' };
export const LAB_B = { code: 'LABB', name: 'Unilabs Solna' };

export function openedOrder(overrides: Partial<OpenedOrderOut> = {}): OpenedOrderOut {
  return {
    order: orderSummary(),
    patient,
    sampled_at: null,
    sampled_by_hsa_id: null,
    laboratories: [LAB_A, LAB_B],
    laboratory: LAB_A,
    lines: [
      { line_no: 1, product_code: 'PEP-CT', product_name: 'Klamydia, NAAT', lab_code: 'A-CT', tube_code: 'UR1', material: 'Urin' },
    ],
    ...overrides,
  };
}

export const TUBE_ZPL = '^XA^CI28^PW600^LL300^FO20,20^BCN,80,Y,N,N^FD123456789012^FS^XZ';
export const ADDRESS_ZPL = '^XA^CI28^PW800^LL400^FO30,30^FH\\^FDTolvan \\5EXZ Tolvansson^FS^XZ';

export function kitOrder(overrides: Partial<KitOrderOut> = {}): KitOrderOut {
  return {
    order_id: 'kit-1',
    rid: '1111 2222 3333',
    created_at: '2026-12-01T07:00:00Z',
    offer_name: 'Klamydiatest hemma',
    personnummer: '19121212-1212',
    sex_mark: 'M',
    name: 'Tolvan Tolvansson',
    delivery_address: { care_of: null, street: 'Storgatan 1', postal_code: '111 22', city: 'Stockholm' },
    manual_handling: null,
    laboratory_code: 'LABA',
    tubes: [{ line_no: 1, product_code: 'PEP-CT', product_name: 'Klamydia, NAAT', lab_code: 'A-CT', tube_code: 'UR1' }],
    labels: [
      { kind: 'address', line_no: null, zpl: ADDRESS_ZPL },
      { kind: 'tube', line_no: 1, zpl: TUBE_ZPL },
    ],
    ...overrides,
  };
}

export const waitingKits: KitOrdersOut = {
  total: 3,
  orders: [
    kitOrder(),
    kitOrder({ order_id: 'kit-2', rid: '4444 5555 6666', name: 'Tolvina Tolvansson', personnummer: '19121212-1220', sex_mark: 'K' }),
  ],
  manual_handling: [
    kitOrder({
      order_id: 'kit-3',
      rid: '7777 8888 9999',
      name: 'Skyddad Person',
      delivery_address: null,
      manual_handling: 'protected_identity',
      labels: [{ kind: 'tube', line_no: 1, zpl: TUBE_ZPL }],
    }),
  ],
};
