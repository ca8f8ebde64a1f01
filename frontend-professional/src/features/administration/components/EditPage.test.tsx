// The edit-page skeleton every administration edit page uses (EditPage), driven through the
// laboratory page: load with the ETag, save with If-Match, 412/428 offer a reload, retire.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type FakeRoutes, installFakeBackend, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { staffMeWithModules } from '../../../test/staffFixtures';

function lab(version: number, name = 'Testlabbet', retired = false) {
  return { code: 'TESTLAB', name, region_code: '01', label_template_zpl: null, customers: [], mappings: [], retired, version };
}

const STALE = 'Någon annan har ändrat uppgifterna efter att du öppnade dem. Läs in dem på nytt och gör din ändring igen.';

function labPage(routes: FakeRoutes) {
  const backend = installFakeBackend({
    getSession: staffSession,
    getStaffMe: staffMeWithModules,
    listRegions: [{ code: '01', name: 'Region Stockholm' }],
    listAdministeredCareUnits: [],
    listProducts: [],
    listResultTemplates: [],
    ...routes,
  });
  renderApp('/pro/admin/laboratorier/TESTLAB');
  return backend;
}

const requestsTo = (backend: { requests: Request[] }, method: string, path: string) =>
  backend.requests.filter((r) => r.method === method && new URL(r.url).pathname === path);

describe('the administration edit page', () => {
  it('saves with the loaded ETag as If-Match and shows the saved version', async () => {
    const backend = labPage({
      getLaboratory: ({ reply }) => reply(200, lab(4), { ETag: '"4"' }),
      updateLaboratory: ({ reply }) => reply(200, lab(5, 'Nya labbet'), { ETag: '"5"' }),
    });
    const name = await screen.findByLabelText(/^Namn/);
    await userEvent.clear(name);
    await userEvent.type(name, 'Nya labbet');
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));

    expect(await screen.findByText('Ändringarna är sparade.')).toBeInTheDocument();
    const puts = requestsTo(backend, 'PUT', '/api/admin/laboratories/TESTLAB');
    expect(puts).toHaveLength(1);
    expect(puts[0]?.headers.get('If-Match')).toBe('"4"');
    expect(await puts[0]?.json()).toMatchObject({ name: 'Nya labbet' });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Nya labbet');
  });

  it('on 412 (a stale If-Match) says someone else changed it and reloads the newer version on request', async () => {
    let version = 4;
    const backend = labPage({
      getLaboratory: ({ reply }) => reply(200, lab(version), { ETag: `"${version}"` }),
      updateLaboratory: ({ problem }) =>
        problem(412, { type: '/problems/stale-version', title: 'Somebody else changed this first', status: 412 }),
    });
    await screen.findByLabelText(/^Namn/);
    version = 6;
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));

    const alert = (await screen.findByText(STALE)).closest('[role="alert"]') as HTMLElement;
    expect(requestsTo(backend, 'PUT', '/api/admin/laboratories/TESTLAB')[0]?.headers.get('If-Match')).toBe('"4"');
    expect(requestsTo(backend, 'GET', '/api/admin/laboratories/TESTLAB')).toHaveLength(1);

    await userEvent.click(within(alert).getByRole('button', { name: 'Läs in på nytt' }));
    await waitFor(() => expect(screen.queryByText(STALE)).not.toBeInTheDocument());
    expect(requestsTo(backend, 'GET', '/api/admin/laboratories/TESTLAB')).toHaveLength(2);
    expect(await screen.findByText(/version 6/)).toBeInTheDocument();

    // The next save sends the reloaded version.
    backend.on('updateLaboratory', ({ reply }) => reply(200, lab(7), { ETag: '"7"' }));
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));
    expect(await screen.findByText('Ändringarna är sparade.')).toBeInTheDocument();
    expect(requestsTo(backend, 'PUT', '/api/admin/laboratories/TESTLAB').at(-1)?.headers.get('If-Match')).toBe('"6"');
  });

  it('on 428 (no If-Match reached the server) offers the same reload', async () => {
    labPage({
      getLaboratory: ({ reply }) => reply(200, lab(4), { ETag: '"4"' }),
      updateLaboratory: ({ problem }) =>
        problem(428, { type: '/problems/precondition-required', title: 'If-Match required', status: 428 }),
    });
    await screen.findByLabelText(/^Namn/);
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));
    const alert = (await screen.findByText(STALE)).closest('[role="alert"]') as HTMLElement;
    expect(within(alert).getByRole('button', { name: 'Läs in på nytt' })).toBeInTheDocument();
  });

  it('retires with If-Match after asking, then shows the item as retired and not changeable', async () => {
    const backend = labPage({
      getLaboratory: ({ reply }) => reply(200, lab(4), { ETag: '"4"' }),
      retireLaboratory: ({ reply }) => reply(200, lab(5, 'Testlabbet', true), { ETag: '"5"' }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Avveckla laboratoriet' }));
    const dialog = screen.getByRole('dialog', { name: 'Avveckla laboratoriet' });
    expect(requestsTo(backend, 'POST', '/api/admin/laboratories/TESTLAB/retire')).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Avveckla laboratoriet' }));

    expect(await screen.findByText('Laboratoriet är avvecklat.')).toBeInTheDocument();
    const retires = requestsTo(backend, 'POST', '/api/admin/laboratories/TESTLAB/retire');
    expect(retires).toHaveLength(1);
    expect(retires[0]?.headers.get('If-Match')).toBe('"4"');
    expect(screen.getByText('Avvecklad')).toHaveClass('tag');
    expect(screen.queryByRole('button', { name: 'Avveckla laboratoriet' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Spara' })).not.toBeInTheDocument();
  });
});
