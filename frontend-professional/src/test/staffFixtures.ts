// Staff members for the tests of the modules built on the menu: assignment, the list of
// assigned offers and administration, at Vårdcentralen Kungsholmen (uppdrag-1).
import type {
  AssignedOfferOut,
  PatientOffers,
  StaffMe,
} from '@shared/client/types.gen';
import { staffMeWithoutContext } from './fakeBackend';

export const UNIT = 'SE2321000016-1001';

export const staffMeWithModules: StaffMe = {
  ...staffMeWithoutContext,
  selected_assignment_id: 'uppdrag-1',
  modules: ['assign_offer', 'assigned_offers', 'administration'].map((module) => ({
    module,
    care_unit_hsa_id: UNIT,
  })),
  // A regional administrator of Region Stockholm.
  administration: { national: false, central: false, region_codes: ['01'], care_unit_hsa_ids: [] },
};

/** A unit administrator: their own care unit only, nothing regional. */
export const staffMeUnitAdmin: StaffMe = {
  ...staffMeWithModules,
  administration: { national: false, central: false, region_codes: [], care_unit_hsa_ids: [UNIT] },
};

/** A central administrator (national too). */
export const staffMeCentralAdmin: StaffMe = {
  ...staffMeWithModules,
  administration: { national: true, central: true, region_codes: [], care_unit_hsa_ids: [] },
};

export const staffMeAssignOnly: StaffMe = {
  ...staffMeWithModules,
  modules: [{ module: 'assign_offer', care_unit_hsa_id: UNIT }],
};

export const patientOffers: PatientOffers = {
  patient: {
    personnummer: '20100330-9877',
    given_name: 'Oscar',
    family_name: 'Nilsson',
    age: 16,
    legal_sex: 'M',
  },
  assigned: [],
  assignable: [
    { catalog_id: '1001', name: 'Klamydiatest hemma', sampling_method: 'home_kit', validity_days: 30, products: ['Klamydia, NAAT'], min_age: null, max_age: null, sex: null, eligible: true, ineligible_reason: null },
    { catalog_id: '1002', name: 'PSA-prov', sampling_method: 'site_drop_in', validity_days: 60, products: ['PSA'], min_age: null, max_age: null, sex: null, eligible: true, ineligible_reason: null },
  ],
};

export function assignedOffer(overrides: Partial<AssignedOfferOut> = {}): AssignedOfferOut {
  return {
    id: 'a-1',
    personnummer: '20100330-9877',
    name: 'Oscar Nilsson',
    catalog_id: '1001',
    offer_name: 'Klamydiatest hemma',
    times_used: 0,
    last_used_at: null,
    assigned_at: '2026-11-20T09:00:00Z',
    assigned_by_hsa_id: 'SE2321000016-9999',
    assigned_by_name: 'Sara Svensson',
    care_unit_hsa_id: UNIT,
    care_unit_name: 'Vårdcentralen Kungsholmen',
    ...overrides,
  };
}
