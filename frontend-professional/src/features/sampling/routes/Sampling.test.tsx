import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { violations } from '@shared/test/axe';
import type { LabelsOut } from '@shared/client/types.gen';
import { installFakeBackend, staffSession } from '../../../test/fakeBackend';
import { installFakeBrowserPrint, zebraDevice } from '../../../test/fakeBrowserPrint';
import { LAB_A, LAB_B, TUBE_ZPL, openedOrder, orderSummary, patient, searchResult, staffMeWith } from '../../../test/issue8Fixtures';
import { renderApp } from '../../../test/renderApp';

vi.mock('zpl-renderer-js', () => ({
  ready: Promise.resolve({ api: { zplToBase64Async: async () => 'PNG' } }),
}));

const sampler = staffMeWith('sampling');
const printer = zebraDevice('ZD421 Provtagningen');

function labels(overrides: Partial<LabelsOut> = {}): LabelsOut {
  return {
    opened: openedOrder({
      order: orderSummary({ status: 'sampled', version: 2 }),
      sampled_at: '2026-12-01T09:25:00Z',
      sampled_by_hsa_id: 'SE2321000016-9999',
    }),
    zpl: TUBE_ZPL,
    label_count: 1,
    reprint: false,
    network_print: null,
    ...overrides,
  };
}

describe('Provtagning: Sök beställning', () => {
  it('checks the personnummer before asking, then lists the orders with another region flagged', async () => {
    const backend = installFakeBackend({ getSession: staffSession, getStaffMe: sampler, searchSamplingOrders: searchResult });
    installFakeBrowserPrint([printer]);
    renderApp('/pro/provtagning');

    expect(await screen.findByRole('heading', { level: 1, name: 'Provtagning' })).toBeInTheDocument();
    const tabs = screen.getByRole('navigation', { name: 'Provtagning' });
    expect(within(tabs).getAllByRole('link').map((l) => l.textContent)).toEqual([
      'Sök beställning',
      'Bokade tider',
      'Utskrivna',
      'Utskriftslogg',
    ]);
    expect(within(tabs).getByRole('link', { name: 'Sök beställning' })).toHaveAttribute('aria-current', 'page');

    await userEvent.click(screen.getByRole('button', { name: 'Sök beställning' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Personnummer: Ange personnummer.');
    await userEvent.type(screen.getByLabelText(/^Personnummer/), '1912');
    await userEvent.click(screen.getByRole('button', { name: 'Sök beställning' }));
    expect(screen.getByLabelText(/^Personnummer/)).toHaveAttribute('aria-invalid', 'true');
    expect(backend.calls('searchSamplingOrders')).toHaveLength(0);

    await userEvent.clear(screen.getByLabelText(/^Personnummer/));
    await userEvent.type(screen.getByLabelText(/^Personnummer/), '19121212-1212');
    await userEvent.click(screen.getByRole('button', { name: 'Sök beställning' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Tolvan Tolvansson, 19121212-1212' })).toBeInTheDocument();
    const [search] = backend.calls('searchSamplingOrders');
    expect(await search!.json()).toEqual({ personnummer: '19121212-1212' });
    expect(search!.url).not.toContain('1212');

    const table = screen.getByRole('table', { name: '2 beställningar som kan provtas' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[1]).toHaveTextContent('Annat län: Region Skåne');
    expect(rows[0]).not.toHaveTextContent('Annat län');
    expect(within(rows[0]!).getByRole('link', { name: 'Öppna beställning Klamydiatest på provtagningsenhet' })).toHaveAttribute(
      'href',
      '/pro/provtagning/bestallning/order-1',
    );
    expect(await violations()).toEqual([]);
  });

  it('says clearly when nobody has the personnummer', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: sampler,
      searchSamplingOrders: ({ problem }) => problem(404, { type: '/problems/person-not-found', title: 'No such person' }),
    });
    renderApp('/pro/provtagning');
    await userEvent.type(await screen.findByLabelText(/^Personnummer/), '19121212-1212');
    await userEvent.click(screen.getByRole('button', { name: 'Sök beställning' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Det finns ingen person med det personnumret i folkbokföringen.');
  });

  it('refuses the module without the permission', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeWith('labels') });
    renderApp('/pro/provtagning');
    expect(await screen.findByRole('heading', { level: 1, name: 'Behörighet saknas' })).toBeInTheDocument();
  });
});

describe('Provtagning: opening an order', () => {
  it('asks for the laboratory when the unit serves several, and names what a failed check misses', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: sampler,
      openSamplingOrder: ({ query, reply, problem }) => {
        const code = query.get('laboratory_code');
        if (code === null) return reply(200, openedOrder({ laboratory: null }), { ETag: '"1"' });
        return problem(409, {
          type: '/problems/product-not-performed',
          title: 'The laboratory does not perform every product',
          laboratory_code: 'LABB',
          product_codes: ['PEP-CT', 'PEP-NG'],
          recipient: { care_unit_hsa_id: 'SE2321000016-1001', name: 'Vårdcentralen Kungsholmen' },
        });
      },
    });
    installFakeBrowserPrint([printer]);
    renderApp('/pro/provtagning/bestallning/order-1');

    const group = await screen.findByRole('group', { name: 'Laboratorium' });
    expect(within(group).getAllByRole('radio').map((r) => r.getAttribute('value'))).toEqual(['LABA', 'LABB']);
    expect(screen.getByText('Välj laboratorium ovan')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Registrera provtagning och skriv ut etiketter' })).toBeNull();

    await userEvent.click(within(group).getByRole('radio', { name: `${LAB_B.name} (${LAB_B.code})` }));
    await userEvent.click(screen.getByRole('button', { name: 'Öppna som valt laboratorium' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading')).toHaveTextContent('Beställningen kan inte provtas för Unilabs Solna (LABB)');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Laboratoriet Unilabs Solna (LABB) utför inte: PEP-CT, PEP-NG.',
      'Svarsmottagaren Vårdcentralen Kungsholmen (SE2321000016-1001) är inte kund hos laboratoriet Unilabs Solna (LABB), så svaret kan inte skickas dit.',
    ]);
    expect(backend.calls('openSamplingOrder').map((r) => new URL(r.url).searchParams.get('laboratory_code'))).toEqual([
      null,
      'LABB',
    ]);
    // The laboratories stay: another one can be chosen.
    expect(screen.getByRole('radio', { name: `${LAB_A.name} (${LAB_A.code})` })).toBeInTheDocument();
    expect(await violations()).toEqual([]);
  });

  it('requires a sampling time that is not in the future, samples with If-Match and prints the labels it got', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: sampler,
      listSamplingPrinters: { printers: [] },
      openSamplingOrder: ({ reply }) => reply(200, openedOrder({ laboratories: [LAB_A] }), { ETag: '"1"' }),
      sampleOrder: ({ reply }) => reply(200, labels(), { ETag: '"2"' }),
    });
    const agent = installFakeBrowserPrint([printer]);
    renderApp('/pro/provtagning/bestallning/order-1');

    const submit = await screen.findByRole('button', { name: 'Registrera provtagning och skriv ut etiketter' });
    const time = screen.getByLabelText(/^Provtagningstid/);
    await userEvent.click(submit);
    expect(await screen.findByRole('link', { name: 'Provtagningstid: Ange provtagningstid.' })).toBeInTheDocument();

    await userEvent.type(time, '2026-12-01T12:00');
    await userEvent.click(submit);
    expect(await screen.findByRole('link', { name: 'Provtagningstid: Provtagningstiden kan inte vara i framtiden.' })).toBeInTheDocument();
    expect(backend.calls('sampleOrder')).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Nu (fyll i nuvarande tid som provtagningstid)' }));
    const local = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    // The browser drops ":00" seconds from the value.
    expect(time).toHaveValue(local.replace(/:00$/, ''));
    expect(await screen.findByRole('combobox', { name: 'Etikettskrivare' })).toHaveValue('ZD421 Provtagningen');
    await userEvent.click(submit);

    expect(await screen.findByRole('heading', { level: 2, name: 'Etiketter' })).toBeInTheDocument();
    const [sampled] = backend.calls('sampleOrder');
    expect(sampled!.headers.get('If-Match')).toBe('"1"');
    expect(await sampled!.json()).toEqual({ laboratory_code: 'LABA', sampled_at: '2026-12-01T10:00:00.000Z', printer: null });
    expect(screen.getByText(/Provtagningen är registrerad \(.+\)\. 1 etikett att skriva ut\./)).toBeInTheDocument();
    expect(await screen.findByRole('img', { name: 'Etikett 1 av 1, RID 1234 5678 9012' })).toBeInTheDocument();
    // Locked now: the form is gone, the time is shown.
    expect(screen.queryByLabelText(/^Provtagningstid/)).toBeNull();
    expect(agent.written).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Skriv ut' }));
    expect(await screen.findByText('Etiketterna har skickats till ZD421 Provtagningen.')).toBeInTheDocument();
    expect(agent.written).toEqual([{ device: printer, data: TUBE_ZPL }]);
    vi.useRealTimers();
  });

  it('shows the current state when another nurse sampled the order first (409)', async () => {
    let sampledMeanwhile = false;
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: sampler,
      listSamplingPrinters: { printers: [] },
      openSamplingOrder: ({ reply }) =>
        reply(
          200,
          sampledMeanwhile
            ? openedOrder({ order: orderSummary({ status: 'sampled', version: 2 }), sampled_at: '2026-12-01T09:10:00Z' })
            : openedOrder(),
          { ETag: sampledMeanwhile ? '"2"' : '"1"' },
        ),
      sampleOrder: ({ problem }) => {
        sampledMeanwhile = true;
        return problem(409, {
          type: '/problems/order-already-sampled',
          title: 'The order is already sampled',
          order_status: 'sampled',
          version: 2,
          sampled_at: '2026-12-01T09:10:00Z',
          laboratory_id: 'lab-a',
        });
      },
    });
    installFakeBrowserPrint([printer]);
    renderApp('/pro/provtagning/bestallning/order-1');

    await userEvent.click(await screen.findByRole('button', { name: 'Nu (fyll i nuvarande tid som provtagningstid)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Registrera provtagning och skriv ut etiketter' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /^Någon annan har redan provtagit beställningen \(provtagen 2026-12-01 10:10\)\. Laboratorium och provtagningstid är låsta/,
    );
    expect(await screen.findByRole('heading', { level: 2, name: 'Skriv ut igen' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Registrera provtagning och skriv ut etiketter' })).toBeNull();
  });

  it('reprints an order from Utskrivna, logged as a reprint', async () => {
    const sampledOrder = openedOrder({ order: orderSummary({ status: 'sampled', version: 2 }), sampled_at: '2026-12-01T09:10:00Z' });
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: sampler,
      listSamplingPrinters: { printers: ['10.1.2.3:9100'] },
      listSampledOrders: {
        total: 1,
        page: 1,
        page_size: 25,
        items: [
          {
            id: 'order-1',
            rid: '1234 5678 9012',
            status: 'sampled',
            patient,
            offer_name: 'Klamydiatest på provtagningsenhet',
            laboratory_code: 'LABA',
            sampled_at: '2026-12-01T09:10:00Z',
            sampled_by_hsa_id: 'SE2321000016-9999',
            prints: 1,
          },
        ],
      },
      openSamplingOrder: ({ reply }) => reply(200, sampledOrder, { ETag: '"2"' }),
      reprintSamplingLabels: labels({
        opened: sampledOrder,
        reprint: true,
        network_print: { printer: '10.1.2.3:9100', sent: true, error: null },
      }),
    });
    installFakeBrowserPrint([printer]);
    renderApp('/pro/provtagning/utskrivna');

    const table = await screen.findByRole('table', { name: '1 provtagen beställning, sida 1 av 1' });
    await userEvent.click(within(table).getByRole('link', { name: 'Skriv ut igen: 1234 5678 9012' }));
    const picker = await screen.findByRole('combobox', { name: 'Etikettskrivare' });
    await waitFor(() => expect(within(picker).getAllByRole('option')).toHaveLength(2));
    await userEvent.selectOptions(picker, '10.1.2.3:9100');
    expect(window.localStorage.getItem('egen-provhantering-pro.printer')).toBe('10.1.2.3:9100');
    await userEvent.click(screen.getByRole('button', { name: 'Skriv ut etiketterna igen' }));
    expect(await screen.findByText('1 etikett att skriva ut igen.')).toBeInTheDocument();
    expect(screen.getByText('Etiketterna har skickats till nätverksskrivaren 10.1.2.3:9100.')).toBeInTheDocument();
    expect(await backend.calls('reprintSamplingLabels')[0]!.json()).toEqual({ printer: '10.1.2.3:9100' });
  });
});

describe('Provtagning: Bokade tider and Utskriftslogg', () => {
  it("lists today's bookings and every print with who printed it", async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: sampler,
      listSamplingBookings: {
        sampling_unit: { hsa_id: 'SE2321000016-1001', name: 'Provtagningen Kungsholmen' },
        day: '2026-12-01',
        bookings: [{ patient, order: orderSummary() }],
      },
      listSamplingPrintLog: {
        total: 2,
        page: 1,
        page_size: 25,
        items: [
          { id: 'p2', order_id: 'order-1', rid: '1234 5678 9012', patient, kind: 'sample', printed_by_hsa_id: 'SE2321000016-9999', printed_at: '2026-12-01T09:30:00Z', reprint: true, label_count: 1 },
          { id: 'p1', order_id: 'order-1', rid: '1234 5678 9012', patient, kind: 'sample', printed_by_hsa_id: 'SE2321000016-8888', printed_at: '2026-12-01T09:25:00Z', reprint: false, label_count: 1 },
        ],
      },
    });
    renderApp('/pro/provtagning/bokade-tider');
    const bookings = await screen.findByRole('table', { name: 'Bokade tider på Provtagningen Kungsholmen 2026-12-01' });
    expect(within(bookings).getAllByRole('row')[1]!.textContent).toBe(
      '10:20Tolvan Tolvansson19121212-1212Klamydiatest på provtagningsenhet BeställdÖppna beställningen för Tolvan Tolvansson',
    );
    expect(await violations()).toEqual([]);

    await userEvent.click(screen.getByRole('link', { name: 'Utskriftslogg' }));
    const log = await screen.findByRole('table', { name: '2 utskrifter, sida 1 av 1' });
    expect(within(log).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['2026-12-01 10:30', 'SE2321000016-9999', 'Tolvan Tolvansson', '19121212-1212', '1234 5678 9012', '1', 'Omutskrift'],
      ['2026-12-01 10:25', 'SE2321000016-8888', 'Tolvan Tolvansson', '19121212-1212', '1234 5678 9012', '1', 'Första utskrift'],
    ]);
  });
});
