// The shared fake backend (@shared/test/fakeBackend, keyed and typed by operation) with this
// app's fixtures.
import { authenticatedSession } from '@shared/test/fakeBackend';
import type { CitizenProfile } from '@shared/client/types.gen';

export { installFakeBackend, loggedOutSession, validationProblem } from '@shared/test/fakeBackend';
export type { FakeBackend, FakeRoutes } from '@shared/test/fakeBackend';

export const citizenSession = authenticatedSession('citizen');

export const citizenProfile: CitizenProfile = {
  personnummer: '19900101-9876',
  given_name: 'Anna',
  family_name: 'Andersson',
  age: 35,
  legal_sex: 'F',
  address: { care_of: null, street: 'Storgatan 1', postal_code: '111 22', city: 'Stockholm' },
  region: { code: '01', name: 'Region Stockholm' },
  municipality_code: '0180',
  protected_identity: false,
};
