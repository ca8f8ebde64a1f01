// Retiring laboratories, sampling units and national product codes (each asks first and
// explains that retiring is not deleting), changing product codes and result templates, and
// closing a day of bookable times: every change sends the version it was loaded with as If-Match.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { violations } from '@shared/test/axe';
import { describe, expect, it } from 'vitest';
import { type FakeRoutes, installFakeBackend, staffSession } from '../../../test/fakeBackend';
import type { StaffMe } from '@shared/client/types.gen';
import type { NationalProduct, ResultTemplateOut } from '@shared/client/types.gen';
import type { ProblemBody } from '@shared/test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { staffMeCentralAdmin, staffMeWithModules } from '../../../test/staffFixtures';

const regions = [{ code: '01', name: 'Region Stockholm' }];
const products: NationalProduct[] = [
  { code: 'PEP-CT', name: 'Klamydia', material: 'Urin', npu_code: null, retired: false, version: 3 },
  { code: 'PEP-OLD', name: 'Gammal analys', material: 'Blod', npu_code: null, retired: true, version: 2 },
];

function lab(version: number, retired = false) {
  return { code: 'TESTLAB', name: 'Testlabbet', region_code: '01', label_template_zpl: null, customers: [], mappings: [], retired, version };
}

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

const template: ResultTemplateOut = {
  id: 'tpl-1',
  laboratory_code: 'TESTLAB',
  name: 'Klamydia standard',
  analyses: [{ analysis: 'C. trachomatis DNA', unit: null, reference_range: 'Ej påvisad' }],
  default_comment: null as string | null,
  insight: 'negative',
  version: 2,
};

function stillInUse(detail: string): ProblemBody {
  return { type: '/problems/still-in-use', title: 'Still in use', detail };
}

function admin(me: StaffMe, routes: FakeRoutes = {}) {
  return installFakeBackend({
    getSession: staffSession,
    getStaffMe: me,
    listRegions: regions,
    listAdministeredCareUnits: [],
    listProducts: products,
    listLaboratories: [lab(4)],
    listResultTemplates: [],
    listSlotsAdmin: [],
    ...routes,
  });
}

const posts = (backend: { requests: Request[] }, path: string) =>
  backend.requests.filter((r) => r.method === 'POST' && new URL(r.url).pathname === path);

describe('retiring a laboratory', () => {
  it('asks first, explains that retiring is not deleting, sends If-Match and marks the lab retired', async () => {
    const backend = admin(staffMeWithModules, {
      getLaboratory: ({ reply }) => reply(200, lab(4), { ETag: '"4"' }),
      retireLaboratory: ({ reply }) => reply(200, lab(5, true), { ETag: '"5"' }),
    });
    renderApp('/pro/admin/laboratorier/TESTLAB');
    const retire = await screen.findByRole('button', { name: 'Avveckla laboratoriet' });
    expect(screen.getByText(/Att avveckla är inte att ta bort/)).toBeInTheDocument();

    // Cancelling sends nothing and gives focus back.
    await userEvent.click(retire);
    let dialog = screen.getByRole('dialog', { name: 'Avveckla laboratoriet' });
    expect(within(dialog).getByText('Vill du avveckla Testlabbet? Det går inte att ångra här.')).toBeInTheDocument();
    expect(within(dialog).getByText(/inte längre provtagningsplats för erbjudanden/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Avbryt' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(retire).toHaveFocus());
    expect(posts(backend, '/api/admin/laboratories/TESTLAB/retire')).toHaveLength(0);

    await userEvent.click(retire);
    dialog = screen.getByRole('dialog', { name: 'Avveckla laboratoriet' });
    expect(await violations()).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Avveckla laboratoriet' }));
    expect(await screen.findByText('Laboratoriet är avvecklat.')).toBeInTheDocument();
    const [post] = posts(backend, '/api/admin/laboratories/TESTLAB/retire');
    expect(post?.headers.get('If-Match')).toBe('"4"');

    // Retired: marked, not changeable any more.
    expect(screen.getByText('Avvecklad')).toHaveClass('tag');
    expect(screen.queryByRole('button', { name: 'Avveckla laboratoriet' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Spara' })).not.toBeInTheDocument();
    expect(screen.getByLabelText(/^Namn/)).toBeDisabled();
    expect(screen.queryByRole('heading', { name: 'Ny svarsmall' })).not.toBeInTheDocument();
  });

  it('shows a retired laboratory as Avvecklad in the list', async () => {
    admin(staffMeWithModules, { listLaboratories: [lab(5, true)] });
    renderApp('/pro/admin/laboratorier');
    const row = (await screen.findByRole('link', { name: 'TESTLAB' })).closest('tr')!;
    expect(within(row).getByText('Avvecklad')).toBeInTheDocument();
  });
});

describe('retiring a sampling unit', () => {
  it('sends If-Match and shows the 409 (future times booked) with what to do and the server’s detail', async () => {
    const backend = admin(staffMeWithModules, {
      getSamplingUnit: ({ reply }) => reply(200, unit, { ETag: '"3"' }),
      retireSamplingUnit: ({ problem }) => problem(409, stillInUse('2 future times are booked: move those bookings first')),
    });
    renderApp('/pro/admin/provtagningsenheter/su-1');
    const retire = await screen.findByRole('button', { name: 'Avveckla provtagningsenheten' });
    await userEvent.click(retire);
    expect(posts(backend, '/api/admin/sampling-units/su-1/retire')).toHaveLength(0);
    const dialog = screen.getByRole('dialog', { name: 'Avveckla provtagningsenheten' });
    expect(within(dialog).getAllByText(/Att avveckla är inte att ta bort/).length).toBeGreaterThan(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Avveckla provtagningsenheten' }));

    const alert = await screen.findByText(/Provtagningsenheten har bokade framtida tider/);
    expect(alert.closest('[role="alert"]')).toHaveTextContent('2 future times are booked: move those bookings first');
    expect(await violations()).toEqual([]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(retire).toHaveFocus());
    expect(posts(backend, '/api/admin/sampling-units/su-1/retire')[0]?.headers.get('If-Match')).toBe('"3"');
    // Still active: nothing marked retired.
    expect(screen.queryByText('Avvecklad')).not.toBeInTheDocument();
  });

  it('hides the changes of a retired sampling unit', async () => {
    admin(staffMeWithModules, {
      getSamplingUnit: ({ reply }) => reply(200, { ...unit, retired: true, version: 4 }, { ETag: '"4"' }),
    });
    renderApp('/pro/admin/provtagningsenheter/su-1');
    await screen.findByRole('heading', { level: 1, name: 'Provtagningen City' });
    expect(screen.getByText('Avvecklad')).toBeInTheDocument();
    expect(screen.queryByText('Ändra uppgifter om provtagningsenheten')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Lägg till tider' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Stäng dagen' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Avveckla provtagningsenheten' })).not.toBeInTheDocument();
  });
});

describe('closing a day of bookable times', () => {
  it('asks before closing the day', async () => {
    const backend = admin(staffMeWithModules, {
      getSamplingUnit: ({ reply }) => reply(200, unit, { ETag: '"3"' }),
      closeDay: ({ reply }) => reply(204),
    });
    renderApp('/pro/admin/provtagningsenheter/su-1');
    await userEvent.type(await screen.findByLabelText('Dag att stänga'), '2030-01-07');
    const close = screen.getByRole('button', { name: 'Stäng dagen' });
    await userEvent.click(close);

    let dialog = screen.getByRole('dialog', { name: 'Stäng dagen?' });
    expect(within(dialog).getByText(/Vill du stänga 2030-01-07\?/)).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(close).toHaveFocus());
    expect(posts(backend, '/api/admin/sampling-units/su-1/closed-days')).toHaveLength(0);

    await userEvent.click(close);
    dialog = screen.getByRole('dialog', { name: 'Stäng dagen?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stäng dagen' }));
    expect(await screen.findByText('2030-01-07 är stängd.')).toBeInTheDocument();
    const [post] = posts(backend, '/api/admin/sampling-units/su-1/closed-days');
    expect(await post!.clone().json()).toEqual({ day: '2030-01-07' });
  });
});

describe('national product codes', () => {
  it('lets a central administrator change a product code with If-Match', async () => {
    const backend = admin(staffMeCentralAdmin, {
      updateProduct: ({ reply }) =>
        reply(200, { ...products[0]!, name: 'Klamydia, NAAT', npu_code: 'NPU19823', version: 4 }, { ETag: '"4"' }),
    });
    renderApp('/pro/admin/produkter');
    const oldRow = (await screen.findByRole('cell', { name: 'PEP-OLD' })).closest('tr')!;
    expect(within(oldRow).getByText('Avvecklad')).toBeInTheDocument();
    expect(within(oldRow).queryByRole('button')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Ändra produktkod PEP-CT' }));
    const heading = screen.getByRole('heading', { name: 'Ändra produktkod PEP-CT' });
    expect(heading).toHaveFocus();
    expect(await violations()).toEqual([]);
    const form = heading.closest('section')!;
    const name = within(form).getByLabelText(/^Namn/);
    expect(name).toHaveValue('Klamydia');
    await userEvent.clear(name);
    await userEvent.type(name, 'Klamydia, NAAT');
    await userEvent.type(within(form).getByLabelText('NPU-kod'), 'npu19823');
    await userEvent.click(within(form).getByRole('button', { name: 'Spara produktkoden' }));

    expect(await screen.findByText('Produktkoden PEP-CT är sparad.')).toBeInTheDocument();
    const put = backend.requests.find((r) => r.method === 'PUT');
    expect(put?.headers.get('If-Match')).toBe('"3"');
    expect(await put!.clone().json()).toEqual({
      name: 'Klamydia, NAAT',
      material: 'Urin',
      npu_code: 'NPU19823',
      contact_tracing: false,
    });
  });

  it('asks before retiring a product code and shows the 409 when an offer still contains it', async () => {
    const backend = admin(staffMeCentralAdmin, {
      retireProduct: ({ problem }) => problem(409, stillInUse('offers 1001 contain this product')),
    });
    renderApp('/pro/admin/produkter');
    const retire = await screen.findByRole('button', { name: 'Avveckla produktkod PEP-CT' });
    await userEvent.click(retire);
    const dialog = screen.getByRole('dialog', { name: 'Avveckla produktkoden' });
    expect(within(dialog).getByText(/Att avveckla är inte att ta bort/)).toBeInTheDocument();
    expect(posts(backend, '/api/admin/products/PEP-CT/retire')).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Avveckla' }));

    const alert = await screen.findByText(/Produktkoden ingår i ett gällande erbjudande/);
    expect(alert.closest('[role="alert"]')).toHaveTextContent('offers 1001 contain this product');
    expect(posts(backend, '/api/admin/products/PEP-CT/retire')[0]?.headers.get('If-Match')).toBe('"3"');
    await waitFor(() => expect(retire).toHaveFocus());
  });

  it('offers no changes to a regional administrator', async () => {
    admin(staffMeWithModules);
    renderApp('/pro/admin/produkter');
    await screen.findByRole('cell', { name: 'PEP-CT' });
    expect(screen.queryByRole('button', { name: /^Ändra produktkod/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Avveckla produktkod/ })).not.toBeInTheDocument();
  });
});

describe('result templates', () => {
  it('changes a template with If-Match, and on 412 reloads the newer version', async () => {
    let current = template;
    const backend = admin(staffMeWithModules, {
      getLaboratory: ({ reply }) => reply(200, lab(4), { ETag: '"4"' }),
      listResultTemplates: ({ reply }) => reply(200, [current]),
      updateResultTemplate: ({ problem }) =>
        problem(412, { type: '/problems/stale-version', title: 'Somebody else changed this first', status: 412 }),
    });
    renderApp('/pro/admin/laboratorier/TESTLAB');
    await userEvent.click(await screen.findByRole('button', { name: 'Ändra svarsmallen Klamydia standard' }));
    const heading = screen.getByRole('heading', { name: 'Ändra svarsmall: Klamydia standard' });
    expect(heading).toHaveFocus();
    // The new-template form gives way while one is changed.
    expect(screen.queryByRole('heading', { name: 'Ny svarsmall' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('Referensintervall')).toHaveValue('Ej påvisad');
    expect(await violations()).toEqual([]);
    await userEvent.type(screen.getByLabelText('Enhet'), 'kopior/ml');
    await userEvent.click(screen.getByRole('button', { name: 'Spara svarsmallen' }));

    const put = backend.requests.find((r) => r.method === 'PUT');
    expect(put?.headers.get('If-Match')).toBe('"2"');
    expect(await put!.clone().json()).toEqual({
      name: 'Klamydia standard',
      analyses: [{ analysis: 'C. trachomatis DNA', unit: 'kopior/ml', reference_range: 'Ej påvisad', value: null, insight: null }],
      default_comment: null,
      insight: 'negative',
      insight_text: null,
    });
    expect(await screen.findByText(/Någon annan har ändrat uppgifterna/)).toBeInTheDocument();

    current = { ...template, default_comment: 'Ändrad av någon annan', version: 3 };
    await userEvent.click(screen.getByRole('button', { name: 'Läs in på nytt' }));
    await waitFor(() => expect(screen.getByLabelText('Standardkommentar')).toHaveValue('Ändrad av någon annan'));
    expect(screen.queryByText(/Någon annan har ändrat uppgifterna/)).not.toBeInTheDocument();

    backend.on('updateResultTemplate', ({ reply }) => reply(200, { ...current, version: 4 }, { ETag: '"4"' }));
    await userEvent.click(screen.getByRole('button', { name: 'Spara svarsmallen' }));
    expect(await screen.findByText('Svarsmallen Klamydia standard är sparad.')).toBeInTheDocument();
    expect(backend.requests.filter((r) => r.method === 'PUT').at(-1)?.headers.get('If-Match')).toBe('"3"');
    expect(screen.getByRole('heading', { name: 'Ny svarsmall' })).toBeInTheDocument();
  });
});
