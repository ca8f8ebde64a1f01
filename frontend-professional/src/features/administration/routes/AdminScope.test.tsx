import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type FakeRoutes, installFakeBackend, staffSession } from '../../../test/fakeBackend';
import type { StaffMe } from '@shared/client/types.gen';
import { renderApp } from '../../../test/renderApp';
import { staffMeCentralAdmin, staffMeUnitAdmin, staffMeWithModules } from '../../../test/staffFixtures';

const regions = [{ code: '01', name: 'Region Stockholm' }];
const products = [{ code: 'PEP-CT', name: 'Klamydia', material: 'Urin', npu_code: null, retired: false, version: 1 }];

function admin(me: StaffMe, routes: FakeRoutes = {}) {
  return installFakeBackend({
    getSession: staffSession,
    getStaffMe: me,
    listRegions: regions,
    listAdministeredCareUnits: [],
    listProducts: products,
    listLaboratories: [],
    listHelpTexts: [],
    ...routes,
  });
}

describe('what an administrator is shown (GET /api/staff/me administration)', () => {
  it('shows a unit administrator no regional sections and no new care unit', async () => {
    admin(staffMeUnitAdmin);
    renderApp('/pro/admin/vardenheter');
    const nav = await screen.findByRole('navigation', { name: 'Administration' });
    expect(within(nav).getByRole('link', { name: 'Vårdenheter' })).toBeInTheDocument();
    for (const regional of ['Provtagningsenheter', 'Laboratorier', 'Erbjudanden']) {
      expect(within(nav).queryByRole('link', { name: regional })).not.toBeInTheDocument();
    }
    await screen.findByRole('heading', { level: 1, name: 'Vårdenheter' });
    expect(screen.queryByRole('link', { name: 'Ny vårdenhet' })).not.toBeInTheDocument();
  });

  it('tells a unit administrator who opens a regional page that it is outside their scope', async () => {
    const backend = admin(staffMeUnitAdmin);
    renderApp('/pro/admin/laboratorier');
    expect(await screen.findByRole('alert')).toHaveTextContent('Du administrerar inte det här.');
    expect(backend.requests.some((r) => new URL(r.url).pathname === '/api/admin/laboratories')).toBe(false);
  });

  it('offers a regional administrator the regional sections, but not new product codes or help text editing', async () => {
    admin(staffMeWithModules);
    renderApp('/pro/admin/produkter');
    const nav = await screen.findByRole('navigation', { name: 'Administration' });
    expect(within(nav).getByRole('link', { name: 'Laboratorier' })).toBeInTheDocument();
    await screen.findByRole('cell', { name: 'PEP-CT' });
    expect(screen.queryByRole('heading', { name: 'Ny nationell produktkod' })).not.toBeInTheDocument();
    expect(screen.queryByText(/Bara en central administratör/)).not.toBeInTheDocument();

    await userEvent.click(within(nav).getByRole('link', { name: 'Hjälptexter' }));
    await screen.findByRole('heading', { level: 1, name: 'Hjälptexter' });
    expect(screen.queryByRole('button', { name: /^Ändra hjälptext för/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Skriv hjälptext' })).not.toBeInTheDocument();
  });

  it('offers a central administrator new product codes and help text editing', async () => {
    admin(staffMeCentralAdmin);
    renderApp('/pro/admin/produkter');
    expect(await screen.findByRole('heading', { name: 'Ny nationell produktkod' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Lägg till produktkod' })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('link', { name: 'Hjälptexter' }));
    expect((await screen.findAllByRole('button', { name: /^Ändra hjälptext för/ })).length).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Skriv hjälptext' })).toBeInTheDocument();
  });
});

describe('sampling unit edit page', () => {
  const unit = {
    id: 'su-1',
    hsa_id: 'SE2321000016-3003',
    name: 'Provtagningen City',
    region_code: '01',
    street: 'Storgatan 2',
    postal_code: '111 22',
    city: 'Stockholm',
    opening_hours: null,
    laboratory_codes: ['TESTLAB'],
    retired: false,
    version: 3,
  };

  it('loads the unit on its own and sends its ETag as If-Match', async () => {
    const backend = admin(staffMeWithModules, {
      getSamplingUnit: ({ reply }) => reply(200, unit, { ETag: '"7"' }),
      listSlotsAdmin: [],
      listLaboratories: [
        { code: 'TESTLAB', name: 'Testlabbet', region_code: '01', label_template_zpl: null, customers: [], mappings: [], retired: false, version: 1 },
      ],
      updateSamplingUnit: ({ reply }) => reply(200, { ...unit, name: 'Provtagningen Centrum', version: 4 }, { ETag: '"8"' }),
    });
    renderApp('/pro/admin/provtagningsenheter/su-1');
    expect(await screen.findByRole('heading', { level: 1, name: 'Provtagningen City' })).toBeInTheDocument();
    // The list is not needed for the page any more.
    expect(backend.requests.some((r) => new URL(r.url).pathname === '/api/admin/sampling-units')).toBe(false);

    await userEvent.click(screen.getByText('Ändra uppgifter om provtagningsenheten'));
    const name = screen.getByLabelText(/^Namn/);
    await userEvent.clear(name);
    await userEvent.type(name, 'Provtagningen Centrum');
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));

    await screen.findByRole('heading', { level: 1, name: 'Provtagningen Centrum' });
    const put = backend.requests.find((r) => r.method === 'PUT');
    expect(put?.headers.get('If-Match')).toBe('"7"');
    await waitFor(() => expect(screen.getByText('Ändringarna är sparade.')).toBeInTheDocument());
  });

  it('says so when the unit does not exist', async () => {
    admin(staffMeWithModules, {
      getSamplingUnit: ({ params, problem }) =>
        problem(404, { type: '/problems/not-found', title: 'Not found', detail: `no sampling unit ${params.unit_id}` }),
    });
    renderApp('/pro/admin/provtagningsenheter/nope');
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('Provtagningsenheten finns inte');
  });
});
