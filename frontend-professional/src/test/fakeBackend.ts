// The shared fake backend (@shared/test/fakeBackend, keyed and typed by operation) with this
// app's fixtures.
import { authenticatedSession } from '@shared/test/fakeBackend';
import type { StaffMe } from '@shared/client/types.gen';

export { installFakeBackend, loggedOutSession, validationProblem } from '@shared/test/fakeBackend';
export type { FakeBackend, FakeRoutes } from '@shared/test/fakeBackend';

export const staffSession = authenticatedSession('staff');

export const assignments: StaffMe['assignments'] = [
  {
    assignment_id: 'uppdrag-1',
    care_unit_hsa_id: 'SE2321000016-1001',
    care_unit_name: 'Vårdcentralen Kungsholmen',
    care_giver_name: 'Region Stockholm',
    purpose: 'Vård och behandling',
  },
  {
    assignment_id: 'uppdrag-2',
    care_unit_hsa_id: 'SE2321000016-2002',
    care_unit_name: 'STD-mottagningen Södersjukhuset',
    care_giver_name: 'Region Stockholm',
    purpose: 'Vård och behandling',
  },
];

export const staffMeWithoutContext: StaffMe = {
  hsa_id: 'SE2321000016-9999',
  given_name: 'Sara',
  family_name: 'Svensson',
  title: 'Sjuksköterska',
  assignments,
  selected_assignment_id: null,
  modules: [],
  administration: { national: false, central: false, region_codes: [], care_unit_hsa_ids: [] },
};

export const staffMeAtUnit2: StaffMe = {
  ...staffMeWithoutContext,
  selected_assignment_id: 'uppdrag-2',
  modules: [
    { module: 'worklist', care_unit_hsa_id: 'SE2321000016-2002' },
    { module: 'sampling', care_unit_hsa_id: 'SE2321000016-2002' },
    { module: 'export', care_unit_hsa_id: 'SE2321000016-2002' },
  ],
};
