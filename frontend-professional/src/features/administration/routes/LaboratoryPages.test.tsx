import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type FakeRoutes, installFakeBackend, staffSession, validationProblem } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { staffMeWithModules } from '../../../test/staffFixtures';

const regions = [
  { code: '01', name: 'Region Stockholm' },
  { code: '12', name: 'Region Skåne' },
];
const careUnits = [
  { hsa_id: 'SE2321000016-1001', name: 'Vårdcentralen Kungsholmen', region_code: '01', region_name: 'Region Stockholm', care_giver_name: 'Region Stockholm', retired: false },
];
const products = [{ code: 'PEP-CT', name: 'Klamydia', material: 'Urin', npu_code: null, retired: false, version: 1 }];

function lab(version: number, name = 'Testlabbet') {
  return { code: 'TESTLAB', name, region_code: '01', label_template_zpl: null, customers: [], mappings: [], retired: false, version };
}

function admin(routes: FakeRoutes) {
  return installFakeBackend({
    getSession: staffSession,
    getStaffMe: staffMeWithModules,
    listRegions: regions,
    listAdministeredCareUnits: careUnits,
    listProducts: products,
    listLaboratories: [],
    listResultTemplates: [],
    ...routes,
  });
}

describe('laboratory administration', () => {
  it('shows the server’s 422 at the field it names, linked from the error summary', async () => {
    admin({
      createLaboratory: ({ problem }) =>
        problem(422, validationProblem([{ field: 'label_template_zpl', code: 'zpl_unbalanced', message: 'every ^XA needs its ^XZ' }])),
    });
    renderApp('/pro/admin/laboratorier/ny');
    await userEvent.type(await screen.findByLabelText(/Laboratoriekod/), 'testlab');
    await userEvent.type(screen.getByLabelText(/^Namn/), 'Testlabbet');
    await userEvent.selectOptions(screen.getByLabelText(/^Region/), '01');
    const template = screen.getByLabelText('Etikettmall (ZPL)');
    await userEvent.click(template);
    await userEvent.paste('^XA^CI28^FD{rid}^FS^XA^XZ');
    await userEvent.click(screen.getByRole('button', { name: 'Skapa laboratorium' }));

    const summary = await screen.findByRole('alert', { name: 'Formuläret innehåller fel' });
    expect(summary).toHaveFocus();
    const link = within(summary).getByRole('link', { name: /Etikettmall \(ZPL\): every \^XA needs its \^XZ/ });
    expect(link).toHaveAttribute('href', '#lab-new-label_template_zpl');
    expect(template).toHaveAttribute('aria-invalid', 'true');
    expect(template.getAttribute('aria-describedby')).toContain('lab-new-label_template_zpl-error');
    expect(document.getElementById('lab-new-label_template_zpl-error')).toHaveTextContent('every ^XA needs its ^XZ');
    expect(screen.getByLabelText(/Laboratoriekod/)).toHaveValue('TESTLAB');
    expect(screen.getByLabelText(/Laboratoriekod/)).not.toHaveAttribute('aria-invalid');
    await userEvent.click(link);
    expect(template).toHaveFocus();
  });

  it('sends the loaded ETag as If-Match, and on 412 says someone else changed it and reloads', async () => {
    let version = 7;
    const backend = admin({
      getLaboratory: ({ reply }) => reply(200, lab(version, version === 7 ? 'Testlabbet' : 'Ändrat av någon annan'), { ETag: `"${version}"` }),
      updateLaboratory: ({ problem }) =>
        problem(412, { type: '/problems/stale-version', title: 'Somebody else changed this first', status: 412 }),
    });
    renderApp('/pro/admin/laboratorier/TESTLAB');
    const name = await screen.findByLabelText(/^Namn/);
    await userEvent.clear(name);
    await userEvent.type(name, 'Nytt namn');
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));

    const put = backend.requests.find((r) => r.method === 'PUT');
    expect(put?.headers.get('If-Match')).toBe('"7"');
    expect((await put!.clone().json()).name).toBe('Nytt namn');
    const alert = await screen.findByText(/Någon annan har ändrat uppgifterna/);
    expect(alert.closest('[role="alert"]')).not.toBeNull();

    version = 8;
    await userEvent.click(screen.getByRole('button', { name: 'Läs in på nytt' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Laboratorium: Ändrat av någon annan' })).toBeInTheDocument();
    expect(screen.getByLabelText(/^Namn/)).toHaveValue('Ändrat av någon annan');
    expect(screen.queryByText(/Någon annan har ändrat uppgifterna/)).not.toBeInTheDocument();

    backend.on('updateLaboratory', ({ reply }) => reply(200, lab(9, 'Ändrat av någon annan'), { ETag: '"9"' }));
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));
    expect(await screen.findByText('Ändringarna är sparade.')).toBeInTheDocument();
    expect(backend.requests.filter((r) => r.method === 'PUT').at(-1)?.headers.get('If-Match')).toBe('"8"');
  });

  it('maps a mapping row’s server error onto the product code group', async () => {
    admin({
      getLaboratory: ({ reply }) => reply(200, lab(1), { ETag: '"1"' }),
      updateLaboratory: ({ problem }) =>
        problem(422, validationProblem([{ field: 'mappings', code: 'unknown_product', message: 'no national product code PEP-XX' }])),
    });
    renderApp('/pro/admin/laboratorier/TESTLAB');
    await userEvent.click(await screen.findByRole('button', { name: 'Lägg till produktkod' }));
    await userEvent.selectOptions(screen.getByLabelText('Nationell produktkod'), 'PEP-CT');
    expect(screen.getByLabelText('Provmaterial')).toHaveValue('Urin');
    await userEvent.type(screen.getByLabelText('Laboratoriets kod'), 'CT');
    await userEvent.type(screen.getByLabelText('Rörkod'), 'UR');
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));
    const group = await screen.findByRole('group', { name: 'Produktkoder' });
    expect(group.getAttribute('aria-describedby')).toContain('lab-mappings-error');
    expect(within(group).getByText('no national product code PEP-XX')).toBeInTheDocument();
  });
});
