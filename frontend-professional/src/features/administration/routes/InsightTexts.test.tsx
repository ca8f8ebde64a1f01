import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { violations } from '@shared/test/axe';
import type { InsightTextOut, StaffMe } from '@shared/client/types.gen';
import { type FakeRoutes, installFakeBackend, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { staffMeCentralAdmin, staffMeWithModules } from '../../../test/staffFixtures';

const defaults: InsightTextOut[] = [
  { insight: 'positive', text: 'Positivt. Provet visar ett positivt resultat.', version: 1, updated_at: null, updated_by_hsa_id: null },
  { insight: 'negative', text: 'Negativt. Provet visar ett negativt resultat.', version: 1, updated_at: null, updated_by_hsa_id: null },
  { insight: 'technical_error', text: 'Tekniskt fel. Provet kunde inte analyseras.', version: 1, updated_at: null, updated_by_hsa_id: null },
  { insight: 'answer', text: 'Svar. Ditt provsvar finns nedan.', version: 4, updated_at: null, updated_by_hsa_id: null },
];

function admin(me: StaffMe, routes: FakeRoutes = {}) {
  return installFakeBackend({
    getSession: staffSession,
    getStaffMe: me,
    listRegions: [{ code: '01', name: 'Region Stockholm' }],
    listAdministeredCareUnits: [],
    listProducts: [],
    listLaboratories: [],
    listResultTemplates: [],
    listInsightTexts: defaults,
    ...routes,
  });
}

describe('insight texts (manual 3.5)', () => {
  it('a central administrator changes a default text with If-Match', async () => {
    const backend = admin(staffMeCentralAdmin, {
      updateInsightText: ({ reply }) =>
        reply(200, { ...defaults[3]!, text: 'Svar. Läs ditt provsvar nedan.', version: 5, updated_at: '2026-12-01T10:00:00Z', updated_by_hsa_id: 'SE2321000016-9999' }),
    });
    renderApp('/pro/admin/insiktstexter');
    const table = await screen.findByRole('table', { name: 'Insiktstexter' });
    expect(within(table).getAllByRole('rowheader').map((c) => c.textContent)).toEqual(['Positivt', 'Negativt', 'Tekniskt fel', 'Svar']);
    expect(await violations()).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Ändra standardtext för Svar' }));
    const text = screen.getByRole('textbox', { name: /^Standardtext/ });
    await userEvent.clear(text);
    await userEvent.type(text, 'Svar. Läs ditt provsvar nedan.');
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));

    expect(await screen.findByText('Standardtexten för Svar är sparad.')).toBeInTheDocument();
    const [put] = backend.calls('updateInsightText');
    expect(new URL(put!.url).pathname).toBe('/api/admin/insight-texts/answer');
    expect(put!.headers.get('If-Match')).toBe('"4"');
    expect(await put!.json()).toEqual({ text: 'Svar. Läs ditt provsvar nedan.' });
  });

  it('a regional administrator sees the defaults but cannot change them', async () => {
    admin(staffMeWithModules);
    renderApp('/pro/admin');
    const nav = await screen.findByRole('navigation', { name: 'Administration' });
    await userEvent.click(within(nav).getByRole('link', { name: 'Insiktstexter' }));
    expect(await screen.findByRole('cell', { name: 'Svar. Ditt provsvar finns nedan.' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Ändra standardtext/ })).not.toBeInTheDocument();
  });

  it('a result template gets its own insight text and prefilled results', async () => {
    const backend = admin(staffMeWithModules, {
      getLaboratory: ({ reply }) =>
        reply(200, { code: 'TESTLAB', name: 'Testlabbet', region_code: '01', label_template_zpl: null, customers: [], mappings: [], retired: false, version: 1 }, { ETag: '"1"' }),
      createResultTemplate: ({ reply }) =>
        reply(201, {
          id: 'tpl-1',
          laboratory_code: 'TESTLAB',
          name: 'Klamydia negativ',
          analyses: [{ analysis: 'Chlamydia trachomatis', unit: null, reference_range: null, value: 'Ej påvisad' }],
          default_comment: null,
          insight: 'negative',
          insight_text: 'Ingen klamydia.',
          version: 1,
        }),
    });
    renderApp('/pro/admin/laboratorier/TESTLAB');
    await userEvent.type(await screen.findByLabelText(/^Mallens namn/), 'Klamydia negativ');
    await userEvent.type(screen.getByLabelText(/^Analys$/), 'Chlamydia trachomatis');
    await userEvent.type(screen.getByLabelText(/^Förifyllt resultat/), 'Ej påvisad');
    await userEvent.type(screen.getByLabelText(/^Text för insikten/), 'Ingen klamydia.');
    await userEvent.click(screen.getByRole('button', { name: 'Skapa svarsmall' }));
    expect(await screen.findByRole('alert', { name: 'Formuläret innehåller fel' })).toHaveTextContent(
      'Text för insikten: Välj vilken insikt texten gäller.',
    );
    expect(backend.calls('createResultTemplate')).toHaveLength(0);

    await userEvent.selectOptions(screen.getByLabelText(/^Insikt$/), 'negative');
    await userEvent.click(screen.getByRole('button', { name: 'Skapa svarsmall' }));
    expect(await screen.findByText('Svarsmallen Klamydia negativ har skapats.')).toBeInTheDocument();
    expect(await backend.calls('createResultTemplate')[0]!.json()).toEqual({
      name: 'Klamydia negativ',
      analyses: [{ analysis: 'Chlamydia trachomatis', unit: null, reference_range: null, value: 'Ej påvisad', insight: null }],
      default_comment: null,
      insight: 'negative',
      insight_text: 'Ingen klamydia.',
    });
  });

  it('an analysis of a result template may have an insight of its own, else the template’s', async () => {
    const created = {
      id: 'tpl-2',
      laboratory_code: 'TESTLAB',
      name: 'Klamydia positiv',
      analyses: [
        { analysis: 'Chlamydia trachomatis', unit: null, reference_range: null, value: 'Påvisad', insight: null },
        { analysis: 'Neisseria gonorrhoeae', unit: null, reference_range: null, value: 'Ej påvisad', insight: 'negative' as const },
      ],
      default_comment: null,
      insight: 'positive' as const,
      insight_text: null,
      version: 1,
    };
    const backend = admin(staffMeWithModules, {
      getLaboratory: ({ reply }) =>
        reply(200, { code: 'TESTLAB', name: 'Testlabbet', region_code: '01', label_template_zpl: null, customers: [], mappings: [], retired: false, version: 1 }, { ETag: '"1"' }),
      listResultTemplates: ({ reply }) => reply(200, []),
      createResultTemplate: ({ reply }) => reply(201, created),
    });
    renderApp('/pro/admin/laboratorier/TESTLAB');
    await userEvent.type(await screen.findByLabelText(/^Mallens namn/), 'Klamydia positiv');
    await userEvent.click(screen.getByRole('button', { name: 'Lägg till analys' }));
    const [chlamydia, gonorrhoea] = screen.getAllByRole('group', { name: /^Analys \d$/ });
    await userEvent.type(within(chlamydia!).getByLabelText(/^Analys$/), 'Chlamydia trachomatis');
    await userEvent.type(within(chlamydia!).getByLabelText(/^Förifyllt resultat/), 'Påvisad');
    expect(within(chlamydia!).getByLabelText(/^Insikt för analysen/)).toHaveValue('');
    expect(within(chlamydia!).getByRole('option', { name: 'Mallens insikt' })).toBeInTheDocument();
    await userEvent.type(within(gonorrhoea!).getByLabelText(/^Analys$/), 'Neisseria gonorrhoeae');
    await userEvent.type(within(gonorrhoea!).getByLabelText(/^Förifyllt resultat/), 'Ej påvisad');
    await userEvent.selectOptions(within(gonorrhoea!).getByLabelText(/^Insikt för analysen/), 'Negativt');
    await userEvent.selectOptions(screen.getByLabelText(/^Insikt$/), 'positive');
    expect(await violations()).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Skapa svarsmall' }));

    expect(await screen.findByText('Svarsmallen Klamydia positiv har skapats.')).toBeInTheDocument();
    expect(await backend.calls('createResultTemplate')[0]!.json()).toEqual({
      name: 'Klamydia positiv',
      analyses: [
        { analysis: 'Chlamydia trachomatis', unit: null, reference_range: null, value: 'Påvisad', insight: null },
        { analysis: 'Neisseria gonorrhoeae', unit: null, reference_range: null, value: 'Ej påvisad', insight: 'negative' },
      ],
      default_comment: null,
      insight: 'positive',
      insight_text: null,
    });
  });

  it('an offer’s insight texts are saved with its new version, blank ones left to the default', async () => {
    const offer = {
      catalog_id: '1001',
      version: 2,
      retired: false,
      name: 'Klamydiatest hemma',
      instructions: '<p>Gör så här.</p>',
      region_code: '01',
      sampling_method: 'home_kit' as const,
      visibility: 'general' as const,
      products: ['PEP-CT'],
      validity_days: 30,
      result_care_unit_hsa_id: 'SE2321000016-1001',
      asks: { contact_details: true, delivery_address: true, order_key: false, sampling_datetime: false, questions: [] },
      assigning_units: [],
      insight_texts: { positive: 'Du har klamydia.', negative: 'Ingen klamydia.' },
    };
    const backend = admin(staffMeWithModules, {
      listAdministeredCareUnits: [
        { hsa_id: 'SE2321000016-1001', name: 'Vårdcentralen Kungsholmen', region_code: '01', region_name: 'Region Stockholm', care_giver_name: 'Region Stockholm', retired: false },
      ],
      getOfferAdmin: ({ reply }) => reply(200, offer, { ETag: '"2"' }),
      updateOffer: ({ reply }) => reply(200, { ...offer, version: 3 }, { ETag: '"3"' }),
    });
    renderApp('/pro/admin/erbjudanden/1001');
    const positive = await screen.findByRole('textbox', { name: /^Text vid Positivt/ });
    expect(positive).toHaveValue('Du har klamydia.');
    await userEvent.clear(screen.getByRole('textbox', { name: /^Text vid Negativt/ }));
    await userEvent.type(screen.getByRole('textbox', { name: /^Text vid Tekniskt fel/ }), 'Beställ ett nytt test.');
    await userEvent.click(screen.getByRole('button', { name: 'Spara ny version' }));

    await waitFor(() => expect(backend.calls('updateOffer')).toHaveLength(1));
    const [put] = backend.calls('updateOffer');
    expect(put!.headers.get('If-Match')).toBe('"2"');
    expect((await put!.json()).insight_texts).toEqual({
      positive: 'Du har klamydia.',
      technical_error: 'Beställ ett nytt test.',
    });
  });
});
