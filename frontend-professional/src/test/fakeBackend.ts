// The shared fake backend (@shared/test/fakeBackend) with this app's fixtures.
import { authenticatedSession } from '@shared/test/fakeBackend';

export { installFakeBackend, json, loggedOutSession, problem } from '@shared/test/fakeBackend';
export type { FakeBackend, FakeHandler } from '@shared/test/fakeBackend';

export const staffSession = authenticatedSession('staff');

export const assignments = [
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

export const staffMeWithoutContext = {
  hsa_id: 'SE2321000016-9999',
  given_name: 'Sara',
  family_name: 'Svensson',
  title: 'Sjuksköterska',
  assignments,
  selected_assignment_id: null,
  modules: [],
  administration: { national: false, central: false, region_codes: [], care_unit_hsa_ids: [] },
};

export const staffMeAtUnit2 = {
  ...staffMeWithoutContext,
  selected_assignment_id: 'uppdrag-2',
  modules: [
    { module: 'worklist', care_unit_hsa_id: 'SE2321000016-2002' },
    { module: 'sampling', care_unit_hsa_id: 'SE2321000016-2002' },
    { module: 'export', care_unit_hsa_id: 'SE2321000016-2002' },
  ],
};
