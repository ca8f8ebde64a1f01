// Integrationsklienter: the list, creating a client (its secret shown once, then gone), editing
// with If-Match (412 → reload), retiring, and Byt hemlighet. The secret must never reach the
// query cache, the mutation cache, router state or browser storage.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { IntegrationClientOut, StaffMe } from '@shared/client/types.gen';
import { violations } from '@shared/test/axe';
import { type FakeRoutes, installFakeBackend, staffSession, validationProblem } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { staffMeUnitAdmin, staffMeWithModules } from '../../../test/staffFixtures';

const SECRET = 'hemlig-7Q2xK9pLmN4vR8sT1uW3yZ5aB6cD0eF';
const NEW_SECRET = 'ny-hemlighet-Hj3Kl5Mn7Pq9Rs1Tu3Vw5Xy7Za9';
const STALE = 'Någon annan har ändrat uppgifterna efter att du öppnade dem. Läs in dem på nytt och gör din ändring igen.';

const lab = { code: 'KS-LAB', name: 'Karolinska labbet', region_code: '01', label_template_zpl: null, customers: [], mappings: [], retired: false, version: 1 };
const samplingUnit = {
  id: '7d4c2a10-0000-4000-8000-000000000001',
  hsa_id: 'SE2321000016-3003',
  name: 'Provtagningen City',
  region_code: '01',
  street: 'Storgatan 2',
  postal_code: '111 22',
  city: 'Stockholm',
  opening_hours: null,
  laboratory_codes: ['KS-LAB'],
  retired: false,
  version: 1,
};

function client(overrides: Partial<IntegrationClientOut> = {}): IntegrationClientOut {
  return {
    client_id: 'ic_labsys01',
    name: 'Karolinska labbsystem',
    region_code: '01',
    scopes: ['orders:read', 'results:write'],
    laboratories: [{ id: 'lab-1', code: 'KS-LAB', name: 'Karolinska labbet' }],
    sampling_units: [],
    care_units: [],
    certificate_thumbprint: null,
    created_at: '2026-03-02T09:15:00Z',
    created_by_hsa_id: 'SE2321000016-9999',
    secret_rotated_at: '2026-03-02T09:15:00Z',
    retired: false,
    version: 3,
    client_secret: null,
    ...overrides,
  };
}

function admin(me: StaffMe = staffMeWithModules, routes: FakeRoutes = {}) {
  return installFakeBackend({
    getSession: staffSession,
    getStaffMe: me,
    listRegions: [
      { code: '01', name: 'Region Stockholm' },
      { code: '12', name: 'Region Skåne' },
    ],
    listLaboratories: [lab],
    listSamplingUnits: [samplingUnit],
    listAdministeredCareUnits: [],
    ...routes,
  });
}

const requestsTo = (backend: { requests: Request[] }, method: string, path: string) =>
  backend.requests.filter((r) => r.method === method && new URL(r.url).pathname === path);

/** Everything TanStack Query holds (queries and mutations) and the browser's storage, as text. */
function everythingKept(queryClient: QueryClient): string {
  return JSON.stringify([
    queryClient.getQueryCache().getAll().map((q) => q.state),
    queryClient.getMutationCache().getAll().map((m) => m.state),
    { ...window.localStorage },
    { ...window.sessionStorage },
    window.history.state,
  ]);
}

describe('the list of integration clients', () => {
  it('shows name, organisation, scopes, status and created date of each client', async () => {
    admin(staffMeWithModules, {
      listIntegrationClients: [
        client(),
        client({
          client_id: 'ic_platform02',
          name: 'Regionens integrationsplattform',
          scopes: ['orders:read', 'orders:write'],
          laboratories: [],
          sampling_units: [{ id: samplingUnit.id, code: samplingUnit.hsa_id, name: 'Provtagningen City' }],
          care_units: [{ id: 'cu-1', code: 'SE2321000016-1001', name: 'Vårdcentralen Kungsholmen' }],
          created_at: '2026-01-15T08:00:00Z',
          retired: true,
        }),
      ],
    });
    renderApp('/pro/admin/integrationsklienter');

    const table = await screen.findByRole('table', { name: 'Integrationsklienter' });
    expect(screen.getByRole('heading', { level: 1, name: 'Integrationsklienter' })).toBeInTheDocument();
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Namn',
      'Organisation',
      'Behörigheter (scopes)',
      'Status',
      'Skapad',
    ]);
    expect(within(rows[1]!).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      'Karolinska labbsystemic_labsys01',
      'Laboratorier: Karolinska labbet',
      'orders:read, results:write',
      'Aktiv',
      '2026-03-02',
    ]);
    expect(within(rows[2]!).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      'Regionens integrationsplattformic_platform02',
      'Provtagningsenheter: Provtagningen CityVårdenheter: Vårdcentralen Kungsholmen',
      'orders:read, orders:write',
      'Avvecklad',
      '2026-01-15',
    ]);
    expect(within(rows[1]!).getByRole('link', { name: 'Karolinska labbsystem' })).toHaveAttribute(
      'href',
      '/pro/admin/integrationsklienter/ic_labsys01',
    );
    expect(screen.getByRole('link', { name: 'Ny integrationsklient' })).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Administration' })).getByRole('link', { name: 'Integrationsklienter' })).toBeInTheDocument();
    expect(await violations()).toEqual([]);
  });

  it('is not shown to a unit administrator', async () => {
    const backend = admin(staffMeUnitAdmin, { listIntegrationClients: [client()] });
    renderApp('/pro/admin/integrationsklienter');
    expect(await screen.findByText(/Du administrerar inte det här/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Integrationsklienter' })).not.toBeInTheDocument();
    expect(backend.calls('listIntegrationClients')).toHaveLength(0);
  });
});

describe('creating an integration client', () => {
  it('sends the settings and shows the secret once; after closing it is gone and was never kept', async () => {
    const user = userEvent.setup();
    const backend = admin(staffMeWithModules, {
      listIntegrationClients: [],
      createIntegrationClient: ({ reply }) =>
        reply(201, client({ version: 1, client_secret: SECRET }), { ETag: '"1"', 'Cache-Control': 'no-store' }),
      getIntegrationClient: ({ reply }) => reply(200, client({ version: 1 }), { ETag: '"1"' }),
    });
    const { queryClient, router } = renderApp('/pro/admin/integrationsklienter/ny');

    await user.type(await screen.findByLabelText(/^Namn/), 'Karolinska labbsystem');
    // The regional administrator's only region is chosen already.
    expect(screen.getByLabelText(/^Region/)).toHaveValue('01');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Välj region', 'Region Stockholm (01)']);
    await user.click(screen.getByLabelText('orders:read – hämta beställningar'));
    await user.click(screen.getByLabelText('results:write – skicka in provsvar'));
    await user.click(await screen.findByLabelText('Karolinska labbet (KS-LAB)'));
    await user.click(screen.getByRole('button', { name: 'Skapa integrationsklient' }));

    const dialog = await screen.findByRole('alertdialog', { name: 'Hemligheten för Karolinska labbsystem' });
    const [post] = requestsTo(backend, 'POST', '/api/admin/integration-clients');
    expect(await post!.json()).toEqual({
      name: 'Karolinska labbsystem',
      region_code: '01',
      scopes: ['orders:read', 'results:write'],
      laboratory_codes: ['KS-LAB'],
      sampling_unit_ids: [],
      care_unit_hsa_ids: [],
      certificate_thumbprint: null,
    });
    expect(dialog).toHaveAccessibleDescription(
      'Kopiera hemligheten nu. Den visas bara den här gången och kan inte visas igen. ' +
        'Lägg in den i klientens system eller i en hemlighetshanterare, inte i e-post eller chatt. Om den kommer bort måste du byta hemlighet.',
    );
    expect(within(dialog).getByLabelText('Klient-id')).toHaveValue('ic_labsys01');
    expect(within(dialog).getByLabelText('Klienthemlighet')).toHaveValue(SECRET);
    expect(within(dialog).getByRole('button', { name: 'Kopiera hemligheten' })).toHaveFocus();
    expect(await violations()).toEqual([]);

    // Copy, then Escape does not close it by mistake.
    await user.click(within(dialog).getByRole('button', { name: 'Kopiera hemligheten' }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    expect(within(dialog).getByRole('status')).toHaveTextContent('Hemligheten är kopierad.');
    await user.keyboard('{Escape}');
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();

    // Shown, but not kept anywhere else.
    expect(everythingKept(queryClient)).not.toContain(SECRET);

    await user.click(within(dialog).getByRole('button', { name: 'Jag har sparat hemligheten – stäng' }));
    expect(await screen.findByText('Integrationsklienten Karolinska labbsystem har skapats.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/pro/admin/integrationsklienter/ic_labsys01');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Karolinska labbsystem' })).toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(everythingKept(queryClient)).not.toContain(SECRET);
    expect(JSON.stringify(router.state.location.state)).not.toContain(SECRET);
    expect(requestsTo(backend, 'POST', '/api/admin/integration-clients')).toHaveLength(1);
  });

  it('checks scopes and organisation itself and puts the server’s field errors at the fields', async () => {
    const user = userEvent.setup();
    const backend = admin(staffMeWithModules, {
      createIntegrationClient: ({ problem }) =>
        problem(
          422,
          validationProblem([{ field: 'laboratory_codes', message: 'no such unit in region 01: KS-LAB', code: 'unknown_unit' }]),
        ),
    });
    renderApp('/pro/admin/integrationsklienter/ny');
    await user.type(await screen.findByLabelText(/^Namn/), 'Labbsystem');
    await user.click(screen.getByRole('button', { name: 'Skapa integrationsklient' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Behörigheter (scopes): Välj minst en behörighet.',
      'Organisation: Välj minst ett laboratorium, en provtagningsenhet eller en vårdenhet.',
    ]);
    expect(requestsTo(backend, 'POST', '/api/admin/integration-clients')).toHaveLength(0);

    await user.click(screen.getByLabelText('orders:read – hämta beställningar'));
    await user.click(screen.getByLabelText('Karolinska labbet (KS-LAB)'));
    await user.click(screen.getByRole('button', { name: 'Skapa integrationsklient' }));
    const group = await screen.findByRole('group', { name: 'Laboratorier' });
    await waitFor(() => expect(group).toHaveAccessibleDescription(/no such unit in region 01: KS-LAB/));
    expect(requestsTo(backend, 'POST', '/api/admin/integration-clients')).toHaveLength(1);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });
});

describe('editing an integration client', () => {
  it('saves with If-Match; on 412 says someone else changed it and reloads on request', async () => {
    const user = userEvent.setup();
    let version = 3;
    const backend = admin(staffMeWithModules, {
      getIntegrationClient: ({ reply }) => reply(200, client({ version }), { ETag: `"${version}"` }),
      updateIntegrationClient: ({ problem }) =>
        problem(412, { type: '/problems/stale-version', title: 'Somebody else changed this first' }),
    });
    renderApp('/pro/admin/integrationsklienter/ic_labsys01');

    const name = await screen.findByLabelText(/^Namn/);
    expect(name).toHaveValue('Karolinska labbsystem');
    expect(screen.getByLabelText(/^Region/)).toBeDisabled();
    expect(screen.getByLabelText('orders:read – hämta beställningar')).toBeChecked();
    expect(screen.getByLabelText('orders:write – ändra status på beställningar')).not.toBeChecked();
    expect(screen.getByLabelText('Karolinska labbet (KS-LAB)')).toBeChecked();
    expect(screen.getByText(/Klient-id ic_labsys01 · region 01 · version 3/)).toBeInTheDocument();
    expect(await violations()).toEqual([]);

    version = 6;
    await user.click(screen.getByLabelText('orders:write – ändra status på beställningar'));
    await user.click(screen.getByRole('button', { name: 'Spara' }));
    const alert = (await screen.findByText(STALE)).closest('[role="alert"]') as HTMLElement;
    const [put] = requestsTo(backend, 'PUT', '/api/admin/integration-clients/ic_labsys01');
    expect(put!.headers.get('If-Match')).toBe('"3"');
    expect(await put!.json()).toEqual({
      name: 'Karolinska labbsystem',
      scopes: ['orders:read', 'orders:write', 'results:write'],
      laboratory_codes: ['KS-LAB'],
      sampling_unit_ids: [],
      care_unit_hsa_ids: [],
      certificate_thumbprint: null,
    });
    expect(requestsTo(backend, 'GET', '/api/admin/integration-clients/ic_labsys01')).toHaveLength(1);

    await user.click(within(alert).getByRole('button', { name: 'Läs in på nytt' }));
    await waitFor(() => expect(screen.queryByText(STALE)).not.toBeInTheDocument());
    expect(requestsTo(backend, 'GET', '/api/admin/integration-clients/ic_labsys01')).toHaveLength(2);
    expect(await screen.findByText(/version 6/)).toBeInTheDocument();
    // The reloaded form shows the stored scopes again, not the unsaved change.
    expect(screen.getByLabelText('orders:write – ändra status på beställningar')).not.toBeChecked();

    backend.on('updateIntegrationClient', ({ reply }) => reply(200, client({ version: 7 }), { ETag: '"7"' }));
    await user.click(screen.getByRole('button', { name: 'Spara' }));
    expect(await screen.findByText('Ändringarna är sparade.')).toBeInTheDocument();
    expect(requestsTo(backend, 'PUT', '/api/admin/integration-clients/ic_labsys01').at(-1)?.headers.get('If-Match')).toBe('"6"');
  });

  it('retires the client after asking, with If-Match, and then shows it read-only', async () => {
    const user = userEvent.setup();
    const backend = admin(staffMeWithModules, {
      getIntegrationClient: ({ reply }) => reply(200, client(), { ETag: '"3"' }),
      retireIntegrationClient: ({ reply }) => reply(200, client({ retired: true, version: 4 }), { ETag: '"4"' }),
    });
    renderApp('/pro/admin/integrationsklienter/ic_labsys01');

    const retire = await screen.findByRole('button', { name: 'Avveckla integrationsklienten' });
    await user.click(retire);
    const dialog = screen.getByRole('dialog', { name: 'Avveckla integrationsklienten' });
    expect(within(dialog).getByText('Vill du avveckla Karolinska labbsystem? Det går inte att ångra här.')).toBeInTheDocument();
    expect(requestsTo(backend, 'POST', '/api/admin/integration-clients/ic_labsys01/retire')).toHaveLength(0);
    expect(await violations()).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Avveckla integrationsklienten' }));

    expect(await screen.findByText('Integrationsklienten är avvecklad.')).toBeInTheDocument();
    const posts = requestsTo(backend, 'POST', '/api/admin/integration-clients/ic_labsys01/retire');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.headers.get('If-Match')).toBe('"3"');
    expect(screen.getByText('Avvecklad')).toHaveClass('tag');
    expect(
      screen.getByText('Integrationsklienten är avvecklad. Den kan inte längre anropa tjänsten, och uppgifterna kan inte ändras.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/^Namn/)).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Spara' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Byt hemlighet' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Avveckla integrationsklienten' })).not.toBeInTheDocument();
  });
});

describe('Byt hemlighet', () => {
  it('asks first, rotates with If-Match, shows the new secret once and forgets it when closed', async () => {
    const user = userEvent.setup();
    const backend = admin(staffMeWithModules, {
      getIntegrationClient: ({ reply }) => reply(200, client(), { ETag: '"3"' }),
      rotateIntegrationClientSecret: ({ reply }) =>
        reply(200, client({ version: 4, secret_rotated_at: '2026-04-01T10:00:00Z', client_secret: NEW_SECRET }), {
          ETag: '"4"',
          'Cache-Control': 'no-store',
        }),
      updateIntegrationClient: ({ reply }) => reply(200, client({ version: 5 }), { ETag: '"5"' }),
    });
    const { queryClient } = renderApp('/pro/admin/integrationsklienter/ic_labsys01');

    const rotate = await screen.findByRole('button', { name: 'Byt hemlighet' });
    await user.click(rotate);
    let confirm = screen.getByRole('dialog', { name: 'Byt hemlighet' });
    expect(within(confirm).getByText('Vill du byta hemlighet för Karolinska labbsystem?')).toBeInTheDocument();
    await user.click(within(confirm).getByRole('button', { name: 'Avbryt' }));
    await waitFor(() => expect(rotate).toHaveFocus());
    expect(requestsTo(backend, 'POST', '/api/admin/integration-clients/ic_labsys01/rotate-secret')).toHaveLength(0);

    await user.click(rotate);
    confirm = screen.getByRole('dialog', { name: 'Byt hemlighet' });
    await user.click(within(confirm).getByRole('button', { name: 'Byt hemlighet' }));

    const dialog = await screen.findByRole('alertdialog', { name: 'Hemligheten för Karolinska labbsystem' });
    expect(screen.queryByRole('dialog', { name: 'Byt hemlighet' })).not.toBeInTheDocument();
    const posts = requestsTo(backend, 'POST', '/api/admin/integration-clients/ic_labsys01/rotate-secret');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.headers.get('If-Match')).toBe('"3"');
    expect(within(dialog).getByLabelText('Klienthemlighet')).toHaveValue(NEW_SECRET);
    expect(within(dialog).getByText('Kopiera hemligheten nu. Den visas bara den här gången och kan inte visas igen.')).toBeInTheDocument();
    expect(await violations()).toEqual([]);
    expect(everythingKept(queryClient)).not.toContain(NEW_SECRET);

    await user.click(within(dialog).getByRole('button', { name: 'Jag har sparat hemligheten – stäng' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(NEW_SECRET);
    expect(everythingKept(queryClient)).not.toContain(NEW_SECRET);
    expect(screen.getByText('Hemligheten är bytt. Den gamla hemligheten fungerar inte längre.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Byt hemlighet' })).toHaveFocus());
    expect(screen.getByText(/version 4/)).toBeInTheDocument();

    // The next change sends the rotated version.
    await user.click(screen.getByRole('button', { name: 'Spara' }));
    expect(await screen.findByText('Ändringarna är sparade.')).toBeInTheDocument();
    expect(requestsTo(backend, 'PUT', '/api/admin/integration-clients/ic_labsys01')[0]!.headers.get('If-Match')).toBe('"4"');
  });

  it('on 412 shows no secret and offers to reload', async () => {
    const user = userEvent.setup();
    const backend = admin(staffMeWithModules, {
      getIntegrationClient: ({ reply }) => reply(200, client(), { ETag: '"3"' }),
      rotateIntegrationClientSecret: ({ problem }) =>
        problem(412, { type: '/problems/stale-version', title: 'Somebody else changed this first' }),
    });
    renderApp('/pro/admin/integrationsklienter/ic_labsys01');
    await user.click(await screen.findByRole('button', { name: 'Byt hemlighet' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Byt hemlighet' })).getByRole('button', { name: 'Byt hemlighet' }));

    const alert = (await screen.findByText(STALE)).closest('[role="alert"]') as HTMLElement;
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await user.click(within(alert).getByRole('button', { name: 'Läs in på nytt' }));
    await waitFor(() => expect(screen.queryByText(STALE)).not.toBeInTheDocument());
    expect(requestsTo(backend, 'GET', '/api/admin/integration-clients/ic_labsys01')).toHaveLength(2);
  });
});
