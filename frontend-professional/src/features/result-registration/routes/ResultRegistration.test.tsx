import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { violations } from '@shared/test/axe';
import type {
  RegistrationOrderOut,
  RegistrationOrderSummary,
  RegistrationOutcomeOut,
  RegistrationResultOut,
  RegistrationSearchOut,
  ResultLogEntryOut,
} from '@shared/client/types.gen';
import { installFakeBackend, staffSession } from '../../../test/fakeBackend';
import { staffMeWith } from '../../../test/issue8Fixtures';
import { renderApp } from '../../../test/renderApp';
import { todayInSweden } from '../api/resultRegistration';

const registrar = staffMeWith('result_registration');
const UNIT = { hsa_id: 'SE2321000016-1001', name: 'Vårdcentralen Kungsholmen' };
const PATIENT = { personnummer: '19121212-1212', name: 'Tolvan Tolvansson' };

function summary(overrides: Partial<RegistrationOrderSummary> = {}): RegistrationOrderSummary {
  return {
    id: 'order-1',
    rid: 'ABCD-EFGH-JK',
    version: 3,
    status: 'handled',
    offer_name: 'Klamydia- och gonorrétest hemma',
    catalog_id: '1001',
    sampling_method: 'home_kit',
    created_at: '2026-11-20T09:00:00Z',
    sampled_at: null,
    answered_at: null,
    laboratory_code: null,
    laboratory_name: null,
    results: 0,
    ...overrides,
  };
}

const searchResult: RegistrationSearchOut = { care_unit: UNIT, patient: PATIENT, orders: [summary()] };

const templates: RegistrationOrderOut['templates'] = [
  {
    id: 'tpl-negative',
    name: 'Klamydia och gonorré – negativ',
    laboratory_code: 'KUL',
    laboratory_name: 'Karolinska Universitetslaboratoriet',
    insight: 'negative',
    analyses: [
      { analysis: 'Chlamydia trachomatis, NAAT', unit: null, reference_range: 'Ej påvisad', value: 'Ej påvisad', insight: null },
      { analysis: 'Neisseria gonorrhoeae, NAAT', unit: null, reference_range: 'Ej påvisad', value: 'Ej påvisad', insight: null },
    ],
    default_comment: 'Inga bakterier påvisades.',
  },
  {
    id: 'tpl-positive',
    name: 'Klamydia positiv',
    laboratory_code: 'KUL',
    laboratory_name: 'Karolinska Universitetslaboratoriet',
    insight: 'positive',
    analyses: [
      { analysis: 'Chlamydia trachomatis, NAAT', unit: null, reference_range: null, value: 'Påvisad', insight: null },
      // Gonorrhoea not found: its line is negative, whatever the template's insight.
      { analysis: 'Neisseria gonorrhoeae, NAAT', unit: null, reference_range: null, value: 'Ej påvisad', insight: 'negative' },
    ],
    default_comment: null,
  },
];

const lines = [
  { line_no: 1, product_code: 'PEP-CT', product_name: 'Klamydia (Chlamydia trachomatis), NAAT', result: null, versions: [] },
  { line_no: 2, product_code: 'PEP-NG', product_name: 'Gonorré (Neisseria gonorrhoeae), NAAT', result: null, versions: [] },
];

function openedOrder(overrides: Partial<RegistrationOrderOut> = {}): RegistrationOrderOut {
  return {
    care_unit: UNIT,
    patient: PATIENT,
    order: summary(),
    lines,
    templates,
    sampling_date_locked: null,
    suggested_sampling_date: null,
    ...overrides,
  };
}

function version(overrides: Partial<RegistrationResultOut> = {}): RegistrationResultOut {
  return {
    result_id: 'result-1',
    sampling_date: '2026-11-28',
    version: 1,
    corrected: false,
    insight: 'negative',
    values: [{ analysis: 'Klamydia', value: 'Ej påvisad', unit: null, reference_range: 'Ej påvisad' }],
    comment: 'Inga bakterier påvisades.',
    received_at: '2026-11-29T10:00:00Z',
    read_at: null,
    source: 'manual',
    registered_by_hsa_id: 'SE2321000016-9999',
    registered_by_name: 'Sara Svensson',
    template_name: 'Klamydia och gonorré – negativ',
    ...overrides,
  };
}

/** The order once answered with the negative template (version 1 of both lines). */
function answeredOrder(): RegistrationOrderOut {
  const first = version();
  const second = version({ result_id: 'result-2' });
  return openedOrder({
    order: summary({ status: 'answered', version: 5, laboratory_code: 'KUL', laboratory_name: 'Karolinska Universitetslaboratoriet', results: 2 }),
    lines: [
      { ...lines[0]!, result: first, versions: [first] },
      { ...lines[1]!, result: second, versions: [second] },
    ],
    templates,
    sampling_date_locked: '2026-11-28',
    suggested_sampling_date: '2026-11-28',
  });
}

function outcome(order: RegistrationOrderOut, corrected: boolean, registered?: string[]): RegistrationOutcomeOut {
  return { ...order, registered: registered ?? order.lines.map((l) => l.result?.result_id ?? 'x'), corrected };
}

function logEntry(overrides: Partial<ResultLogEntryOut> = {}): ResultLogEntryOut {
  return {
    result_id: 'result-2',
    order_id: 'order-1',
    rid: 'ABCD-EFGH-JK',
    patient: PATIENT,
    offer_name: 'Klamydia- och gonorrétest hemma',
    line_no: 1,
    product_name: 'Klamydia',
    sampling_date: '2026-11-28',
    version: 2,
    corrected: true,
    insight: 'positive',
    template_name: 'Klamydia positiv',
    registered_by_hsa_id: 'SE2321000016-9999',
    registered_by_name: 'Sara Svensson',
    registered_at: '2026-11-30T10:00:00Z',
    ...overrides,
  };
}

const loggedIn = { getSession: staffSession, getStaffMe: registrar };

describe('Svarsregistrering: Sök invånare och beställning', () => {
  it('is reached from the module menu and searches by personnummer in the body, listing only the unit’s orders', async () => {
    const backend = installFakeBackend({ ...loggedIn, searchResultRegistrationOrders: searchResult });
    renderApp('/pro/');
    await userEvent.click(await screen.findByRole('link', { name: 'Svarsregistrering' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Svarsregistrering' })).toBeInTheDocument();
    const tabs = screen.getByRole('navigation', { name: 'Svarsregistrering' });
    expect(within(tabs).getAllByRole('link').map((l) => l.textContent)).toEqual(['Sök invånare och beställning', 'Svarslogg']);

    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Personnummer: Ange personnummer.');
    expect(backend.calls('searchResultRegistrationOrders')).toHaveLength(0);

    await userEvent.type(screen.getByRole('textbox', { name: /^Personnummer/ }), '19121212-1212');
    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Tolvan Tolvansson, 19121212-1212' })).toBeInTheDocument();
    const [search] = backend.calls('searchResultRegistrationOrders');
    expect(await search!.json()).toEqual({ personnummer: '19121212-1212' });
    expect(search!.url).not.toContain('1212');
    const table = screen.getByRole('table', { name: '1 beställning vars svar registreras här' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('Hanterad');
    expect(within(row).getByRole('link', { name: 'Öppna beställning Klamydia- och gonorrétest hemma (ABCD-EFGH-JK)' })).toHaveAttribute(
      'href',
      '/pro/svarsregistrering/bestallning/order-1',
    );
    expect(await violations()).toEqual([]);
  });

  it('searches an anonymous kit by its RID, and says so when no order of the unit has it', async () => {
    const backend = installFakeBackend({
      ...loggedIn,
      searchResultRegistrationOrders: ({ problem }) => problem(404, { type: '/problems/order-not-found', title: 'No such order' }),
    });
    renderApp('/pro/svarsregistrering');
    await userEvent.click(await screen.findByRole('radio', { name: 'RID (opersonligt provtagningskit)' }));
    await userEvent.type(screen.getByRole('textbox', { name: /^RID/ }), 'abcd-efgh-jk');
    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Det finns ingen beställning med det RID-numret vars svar registreras på den här vårdenheten.',
    );
    expect(await backend.calls('searchResultRegistrationOrders')[0]!.json()).toEqual({ rid: 'abcd-efgh-jk' });
  });
});

describe('Svarsregistrering: Skicka svar', () => {
  it('prefills from the chosen template, fills in today with Idag and sends with If-Match and an Idempotency-Key', async () => {
    const answered = answeredOrder();
    const backend = installFakeBackend({
      ...loggedIn,
      openResultRegistrationOrder: openedOrder(),
      registerResult: outcome(answered, false),
    });
    renderApp('/pro/svarsregistrering/bestallning/order-1');
    expect(await screen.findByRole('heading', { level: 2, name: 'Skapa svar på beställning' })).toBeInTheDocument();
    expect(screen.getAllByText('Inget svar ännu.')).toHaveLength(2);

    await userEvent.selectOptions(screen.getByLabelText(/^Svarsmall/), 'tpl-negative');
    expect(screen.getByText('Svarsmallens insikt: Negativt. Varje analys har sin egen insikt, som du kan ändra.')).toBeInTheDocument();
    const values = screen.getAllByLabelText(/^Resultat/);
    expect(values.map((input) => (input as HTMLInputElement).value)).toEqual(['Ej påvisad', 'Ej påvisad']);
    expect(screen.getByLabelText(/^Kommentar/)).toHaveValue('Inga bakterier påvisades.');
    await userEvent.clear(values[1]!);
    await userEvent.type(values[1]!, '<0,5');
    await userEvent.click(screen.getByRole('button', { name: 'Idag (fyll i dagens datum som provtagningsdatum)' }));
    expect(screen.getByLabelText(/^Provtagningsdatum/)).toHaveValue(todayInSweden());

    await userEvent.click(screen.getByRole('button', { name: 'Skicka svar' }));
    expect(await screen.findByText('2 svar är skickade. Invånaren får ett meddelande i sin inkorg.')).toBeInTheDocument();
    const [sent] = backend.calls('registerResult');
    expect(sent!.headers.get('If-Match')).toBe('"3"');
    expect(sent!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await sent!.json()).toEqual({
      template_id: 'tpl-negative',
      sampling_date: todayInSweden(),
      comment: 'Inga bakterier påvisades.',
      values: [
        { line_no: 1, value: 'Ej påvisad', unit: null, reference_range: 'Ej påvisad', insight: 'negative' },
        { line_no: 2, value: '<0,5', unit: null, reference_range: 'Ej påvisad', insight: 'negative' },
      ],
    });
    // The answer shows the order as it is now: answered, and the form offers a correction.
    expect(await screen.findByRole('heading', { level: 2, name: 'Korrigera registrerat svar' })).toBeInTheDocument();
    expect(screen.getByText('Besvarad')).toBeInTheDocument();
  });

  it('gives each line its own insight, the template analysis’s else the template’s, which staff may change', async () => {
    const backend = installFakeBackend({
      ...loggedIn,
      openResultRegistrationOrder: openedOrder(),
      registerResult: outcome(answeredOrder(), false),
    });
    renderApp('/pro/svarsregistrering/bestallning/order-1');
    const insightOf = (product: string) =>
      within(screen.getByRole('group', { name: product })).getByRole('combobox', { name: 'Insikt' }) as HTMLSelectElement;
    const chlamydia = 'Klamydia (Chlamydia trachomatis), NAAT';
    const gonorrhoea = 'Gonorré (Neisseria gonorrhoeae), NAAT';

    await userEvent.selectOptions(await screen.findByLabelText(/^Svarsmall/), 'tpl-positive');
    // Chlamydia has the template's insight; gonorrhoea its analysis's own.
    expect([insightOf(chlamydia).value, insightOf(gonorrhoea).value]).toEqual(['positive', 'negative']);
    expect(within(insightOf(gonorrhoea)).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Ingen insikt',
      'Positivt',
      'Negativt',
      'Tekniskt fel',
      'Svar',
    ]);
    // Another template prefills the lines afresh: neither analysis has its own, so the template's.
    await userEvent.selectOptions(screen.getByLabelText(/^Svarsmall/), 'tpl-negative');
    expect([insightOf(chlamydia).value, insightOf(gonorrhoea).value]).toEqual(['negative', 'negative']);
    await userEvent.selectOptions(insightOf(chlamydia), 'Positivt');
    await userEvent.selectOptions(insightOf(gonorrhoea), 'Ingen insikt');
    await userEvent.click(screen.getByRole('button', { name: 'Idag (fyll i dagens datum som provtagningsdatum)' }));
    expect(await violations()).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Skicka svar' }));

    expect(await screen.findByText('2 svar är skickade. Invånaren får ett meddelande i sin inkorg.')).toBeInTheDocument();
    const sent = (await backend.calls('registerResult')[0]!.json()) as { values: { line_no: number; insight: string | null }[] };
    expect(sent.values.map((v) => [v.line_no, v.insight])).toEqual([
      [1, 'positive'],
      [2, null],
    ]);
  });

  it('checks the template, the date and the values before sending', async () => {
    const backend = installFakeBackend({ ...loggedIn, openResultRegistrationOrder: openedOrder() });
    renderApp('/pro/svarsregistrering/bestallning/order-1');
    await userEvent.click(await screen.findByRole('button', { name: 'Skicka svar' }));

    const summary = await screen.findByRole('alert');
    expect(summary).toHaveTextContent('Svarsmall: Välj svarsmall.');
    expect(summary).toHaveTextContent('Provtagningsdatum: Ange provtagningsdatum.');

    await userEvent.selectOptions(screen.getByLabelText(/^Svarsmall/), 'tpl-positive');
    await userEvent.type(screen.getByLabelText(/^Provtagningsdatum/), '2999-01-01');
    for (const box of screen.getAllByRole('checkbox')) await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'Skicka svar' }));
    expect(await screen.findByText('Provtagningsdatum: Provtagningsdatum kan inte vara i framtiden.')).toBeInTheDocument();
    expect(screen.getByText('Resultat: Välj minst en analys att registrera svar för.')).toBeInTheDocument();
    expect(backend.calls('registerResult')).toHaveLength(0);
    expect(await violations()).toEqual([]);
  });

  it('resends with the same Idempotency-Key when the first answer was lost, so nothing is registered twice', async () => {
    let calls = 0;
    const backend = installFakeBackend({
      ...loggedIn,
      openResultRegistrationOrder: openedOrder(),
      registerResult: ({ reply, problem }) =>
        ++calls === 1
          ? problem(503, { type: '/problems/service-unavailable', title: 'Unavailable' })
          : reply(200, outcome(answeredOrder(), false)),
    });
    renderApp('/pro/svarsregistrering/bestallning/order-1');
    await userEvent.selectOptions(await screen.findByLabelText(/^Svarsmall/), 'tpl-negative');
    await userEvent.click(screen.getByRole('button', { name: 'Idag (fyll i dagens datum som provtagningsdatum)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Skicka svar' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Något gick fel');
    await userEvent.click(screen.getByRole('button', { name: 'Skicka svar' }));

    expect(await screen.findByText('2 svar är skickade. Invånaren får ett meddelande i sin inkorg.')).toBeInTheDocument();
    const [first, second] = backend.calls('registerResult');
    expect(second!.headers.get('Idempotency-Key')).toBe(first!.headers.get('Idempotency-Key'));
  });

  it('corrects an answered order with its sampling date locked, and shows every version', async () => {
    const answered = answeredOrder();
    const corrected = version({ result_id: 'result-3', version: 2, corrected: true, insight: 'positive', values: [{ analysis: 'Klamydia', value: 'Påvisad', unit: null, reference_range: null }], template_name: 'Klamydia positiv' });
    const afterCorrection: RegistrationOrderOut = {
      ...answered,
      order: { ...answered.order, version: 6 },
      lines: [{ ...answered.lines[0]!, result: corrected, versions: [corrected, answered.lines[0]!.versions[0]!] }, answered.lines[1]!],
    };
    const backend = installFakeBackend({
      ...loggedIn,
      openResultRegistrationOrder: answered,
      registerResult: outcome(afterCorrection, true, ['result-3']),
    });
    renderApp('/pro/svarsregistrering/bestallning/order-1');
    expect(await screen.findByRole('heading', { level: 2, name: 'Korrigera registrerat svar' })).toBeInTheDocument();
    const date = screen.getByLabelText(/^Provtagningsdatum/);
    expect(date).toHaveValue('2026-11-28');
    expect(date).toHaveAttribute('readonly');
    expect(screen.queryByRole('button', { name: /^Idag/ })).not.toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText(/^Svarsmall/), 'tpl-positive');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Registrera svar för Gonorré (Neisseria gonorrhoeae), NAAT' }));
    await userEvent.click(screen.getByRole('button', { name: 'Skicka svar' }));

    expect(await screen.findByText('Det korrigerade svaret är skickat. Invånaren får ett nytt meddelande.')).toBeInTheDocument();
    expect(await backend.calls('registerResult')[0]!.json()).toMatchObject({
      template_id: 'tpl-positive',
      sampling_date: '2026-11-28',
      values: [{ line_no: 1, value: 'Påvisad', insight: 'positive' }],
    });
    const history = screen.getByRole('table', { name: 'Svar för Klamydia (Chlamydia trachomatis), NAAT, 2 versioner (senaste först)' });
    const rows = within(history).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['2 gäller', '1 ersatt']);
    expect(rows[0]).toHaveTextContent('Positivt');
    expect(rows[1]).toHaveTextContent('Negativt');
  });

  it('explains a sampling date the server keeps locked', async () => {
    installFakeBackend({
      ...loggedIn,
      openResultRegistrationOrder: openedOrder(),
      registerResult: ({ problem }) =>
        problem(409, { type: '/problems/sampling-date-locked', title: 'Locked', sampling_date: '2026-11-27' } as never),
    });
    renderApp('/pro/svarsregistrering/bestallning/order-1');
    await userEvent.selectOptions(await screen.findByLabelText(/^Svarsmall/), 'tpl-negative');
    await userEvent.click(screen.getByRole('button', { name: 'Idag (fyll i dagens datum som provtagningsdatum)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Skicka svar' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Provtagningsdatum kan inte ändras. Beställningens svar har provtagningsdatum 2026-11-27.',
    );
  });

  it('offers no form for a cancelled order', async () => {
    installFakeBackend({ ...loggedIn, openResultRegistrationOrder: openedOrder({ order: summary({ status: 'cancelled' }) }) });
    renderApp('/pro/svarsregistrering/bestallning/order-1');
    expect(await screen.findByText('Beställningen har status Makulerad och kan inte besvaras.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Skicka svar' })).not.toBeInTheDocument();
  });
});

describe('Svarslogg', () => {
  it('lists the unit’s manual results page by page and searches a personnummer in a POST body', async () => {
    const backend = installFakeBackend({
      ...loggedIn,
      listResultLog: ({ query, reply }) =>
        reply(200, {
          total: 26,
          total_capped: false,
          page: Number(query.get('page')),
          page_size: 25,
          items: [logEntry({ result_id: `r-${query.get('page')}` })],
        }),
      searchResultLog: { total: 1, total_capped: false, page: 1, page_size: 25, items: [logEntry()] },
    });
    renderApp('/pro/svarsregistrering/svarslogg');

    const table = await screen.findByRole('table', { name: '26 registrerade svar, sida 1 av 2' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('Tolvan Tolvansson');
    expect(row).toHaveTextContent('Positivt');
    expect(row).toHaveTextContent('korrigerat');
    expect(within(row).getByRole('link', { name: 'Öppna beställning ABCD-EFGH-JK' })).toHaveAttribute(
      'href',
      '/pro/svarsregistrering/bestallning/order-1',
    );
    expect(await violations()).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Nästa sida' }));
    expect(await screen.findByRole('table', { name: '26 registrerade svar, sida 2 av 2' })).toBeInTheDocument();
    expect(new URL(backend.calls('listResultLog').at(-1)!.url).searchParams.get('page')).toBe('2');

    await userEvent.type(screen.getByLabelText(/^Personnummer/), '19121212-1212');
    await userEvent.type(screen.getByLabelText(/^Från och med/), '2026-11-01');
    await userEvent.click(screen.getByRole('button', { name: 'Sök i svarsloggen' }));
    expect(await screen.findByRole('table', { name: '1 registrerat svar, sida 1 av 1' })).toBeInTheDocument();
    const [search] = backend.calls('searchResultLog');
    expect(await search!.json()).toEqual({
      from_date: '2026-11-01',
      to_date: null,
      personnummer: '19121212-1212',
      rid: null,
      page: 1,
      page_size: 25,
    });
    expect(backend.requests.every((r) => !r.url.includes('1212'))).toBe(true);
  });

  it('says there are more than the counted results when the count stops at its cap', async () => {
    installFakeBackend({
      ...loggedIn,
      listResultLog: { total: 1000, total_capped: true, page: 1, page_size: 25, items: [logEntry()] },
    });
    renderApp('/pro/svarsregistrering/svarslogg');

    expect(
      await screen.findByRole('table', {
        name: 'Fler än 1000 registrerade svar, sida 1 av 40. Begränsa datumen eller sök på personnummer eller RID för att se äldre.',
      }),
    ).toBeInTheDocument();
  });

  it('searches by personnummer or RID, not both', async () => {
    const backend = installFakeBackend({ ...loggedIn, listResultLog: { total: 0, total_capped: false, page: 1, page_size: 25, items: [] } });
    renderApp('/pro/svarsregistrering/svarslogg');
    expect(await screen.findByText('Inga manuellt registrerade svar.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/^Personnummer/), '19121212-1212');
    await userEvent.type(screen.getByLabelText(/^RID/), 'ABCD-EFGH-JK');
    await userEvent.click(screen.getByRole('button', { name: 'Sök i svarsloggen' }));

    await waitFor(() => expect(screen.getByText('RID: Sök på personnummer eller RID, inte båda.')).toBeInTheDocument());
    expect(backend.calls('searchResultLog')).toHaveLength(0);
  });
});
