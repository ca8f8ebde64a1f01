// Behörigheter (issue 11 item 4): the list names the holder and the grantor, not only their HSA
// ids; a refused grant (oneself, or a patient-data permission by a unit administrator) is said in
// Swedish.
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PermissionOut, StaffMe } from '@shared/client/types.gen';
import { installFakeBackend, staffSession } from '../../../test/fakeBackend';
import type { FakeRoutes } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { UNIT, staffMeUnitAdmin } from '../../../test/staffFixtures';

const careUnits = [
  { hsa_id: UNIT, name: 'Vårdcentralen Kungsholmen', region_code: '01', region_name: 'Region Stockholm', care_giver_name: 'Region Stockholm', retired: false },
];

function permission(overrides: Partial<PermissionOut> = {}): PermissionOut {
  return {
    id: 'p-1',
    staff_hsa_id: 'SE2321000016-7777',
    permission: 'worklist',
    care_unit_hsa_id: UNIT,
    region_code: null,
    holder_name: 'Per Persson',
    granted_by_hsa_id: 'SE2321000016-9999',
    granted_by_name: 'Sara Svensson',
    granted_at: '2026-11-20T09:00:00Z',
    revocable: true,
    ...overrides,
  };
}

function permissionsPage(me: StaffMe, routes: FakeRoutes = {}) {
  const backend = installFakeBackend({
    getSession: staffSession,
    getStaffMe: me,
    listAdministeredCareUnits: careUnits,
    listRegions: [{ code: '01', name: 'Region Stockholm' }],
    listPermissions: [permission(), permission({ id: 'p-2', staff_hsa_id: 'SE2321000016-8888', holder_name: null, granted_by_name: null })],
    ...routes,
  });
  renderApp('/pro/admin/behorigheter');
  return backend;
}

async function grant(permissionLabel: string, staffHsaId = 'SE2321000016-7777') {
  await userEvent.type(await screen.findByLabelText(/^Medarbetarens HSA-id/), staffHsaId);
  await userEvent.selectOptions(screen.getByLabelText(/^Behörighet/), permissionLabel);
  await userEvent.selectOptions(screen.getByLabelText(/^Vårdenhet/), UNIT);
  await userEvent.click(screen.getByRole('button', { name: 'Ge behörighet' }));
}

describe('the permissions page', () => {
  it('names the holder and who granted it, with the HSA id only when HSA had no name', async () => {
    permissionsPage(staffMeUnitAdmin);
    const table = await screen.findByRole('table', { name: 'Gällande behörigheter' });
    const [named, unnamed] = within(table).getAllByRole('row').slice(1);
    const cells = within(named!).getAllByRole('cell');
    expect(cells[0]).toHaveTextContent('Per PerssonSE2321000016-7777');
    expect(cells[3]).toHaveTextContent('Sara SvenssonSE2321000016-9999');
    expect(within(unnamed!).getAllByRole('cell')[0]).toHaveTextContent(/^SE2321000016-8888$/);
    expect(within(unnamed!).getAllByRole('cell')[3]).toHaveTextContent(/^SE2321000016-9999$/);
    expect(within(table).getByRole('columnheader', { name: 'Medarbetare' })).toBeInTheDocument();
    expect(within(named!).getByRole('button', { name: 'Ta bort Arbetslista för Per Persson' })).toBeInTheDocument();
  });

  it('says in Swedish that nobody grants themself a permission', async () => {
    permissionsPage(staffMeUnitAdmin, {
      grantPermission: ({ problem }) =>
        problem(403, { type: '/problems/own-permission', title: 'Nobody grants or revokes their own permissions' }),
    });
    await grant('Enhetsadministratör', staffMeUnitAdmin.hsa_id);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Du kan inte ge eller ta bort behörigheter för dig själv. Be en annan administratör.',
    );
  });

  it('says in Swedish that patient-data permissions are granted by the region', async () => {
    const backend = permissionsPage(staffMeUnitAdmin, {
      grantPermission: ({ problem }) =>
        problem(403, {
          type: '/problems/forbidden',
          title: 'Not permitted',
          detail: 'permissions to patient data are managed by the regional administrators of region 01',
        }),
    });
    await grant('Provtagning');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Behörigheter till moduler med patientuppgifter (och export) ges av regionens administratörer, inte av vårdenhetens administratör.',
    );
    expect(await backend.calls('grantPermission')[0]!.clone().json()).toEqual({
      staff_hsa_id: 'SE2321000016-7777',
      permission: 'sampling',
      care_unit_hsa_id: UNIT,
      region_code: null,
    });
  });
});
