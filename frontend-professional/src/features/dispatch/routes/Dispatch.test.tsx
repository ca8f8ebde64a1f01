import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { violations } from '@shared/test/axe';
import type { PrintOut } from '@shared/client/types.gen';
import type { FakeCall } from '@shared/test/fakeBackend';
import { installFakeBackend, staffSession } from '../../../test/fakeBackend';
import { installFakeBrowserPrint, zebraDevice } from '../../../test/fakeBrowserPrint';
import { ADDRESS_ZPL, TUBE_ZPL, kitOrder, staffMeWith, waitingKits } from '../../../test/issue8Fixtures';
import { renderApp } from '../../../test/renderApp';

const rendered = vi.hoisted(() => [] as string[]);
vi.mock('zpl-renderer-js', () => ({
  ready: Promise.resolve({
    api: {
      zplToBase64Async: async (zpl: string) => {
        rendered.push(zpl);
        return 'PNG';
      },
    },
  }),
}));

const printer = zebraDevice('ZD421 Packrummet');

function printed(orderIds: string[], zpl: string): PrintOut {
  return {
    orders: orderIds.map((id, i) => ({
      order_id: id,
      rid: `RID ${i}`,
      status: 'handled',
      handled_at: '2026-12-01T10:00:00Z',
      expires_at: '2026-12-31T10:00:00Z',
      version: 2,
    })),
    labels: orderIds.flatMap((id) => [
      { order_id: id, kind: 'address' as const, line_no: null, zpl: ADDRESS_ZPL },
      { order_id: id, kind: 'tube' as const, line_no: 1, zpl: TUBE_ZPL },
    ]),
    zpl,
    printer: null,
    network_print: null,
  };
}

describe('Etiketter', () => {
  it('previews the labels of an order, prints the chosen orders and sends the server ZPL to the printer', async () => {
    const zpl = `${ADDRESS_ZPL}\n${TUBE_ZPL}\n${ADDRESS_ZPL}\n${TUBE_ZPL}`;
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWith('labels'),
      listKitOrders: waitingKits,
      printKitLabels: printed(['kit-1', 'kit-2'], zpl),
    });
    const agent = installFakeBrowserPrint([printer]);
    renderApp('/pro/etiketter');

    expect(await screen.findByRole('heading', { level: 1, name: 'Etiketter' })).toBeInTheDocument();
    expect(await screen.findByText('3 beställningar väntar på att skickas.')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Beställningar att skicka (0 av 2 valda)' });
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('Storgatan 1, 111 22 Stockholm');

    await userEvent.click(within(table).getByRole('button', { name: 'Förhandsgranska 1111 2222 3333' }));
    expect(await screen.findByRole('img', { name: 'Etikett 1 av 2, RID 1111 2222 3333' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Etikett 2 av 2, RID 1111 2222 3333' })).toBeInTheDocument();
    expect(rendered).toEqual([ADDRESS_ZPL, TUBE_ZPL]);

    const print = screen.getByRole('button', { name: 'Skriv ut (0 valda)' });
    expect(print).toBeDisabled();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Markera alla' }));
    expect(screen.getByRole('checkbox', { name: 'Välj 1111 2222 3333, Tolvan Tolvansson' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Välj 4444 5555 6666, Tolvina Tolvansson' })).toBeChecked();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Välj 4444 5555 6666, Tolvina Tolvansson' }));
    expect(screen.getByRole('checkbox', { name: 'Markera alla' })).toHaveProperty('indeterminate', true);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Markera alla' }));
    expect(await screen.findByRole('combobox', { name: 'Etikettskrivare' })).toHaveValue('ZD421 Packrummet');

    await userEvent.click(screen.getByRole('button', { name: 'Skriv ut (2 valda)' }));
    expect(
      await screen.findByText('2 beställningar är hanterade. Etiketterna (4 st) har skickats till ZD421 Packrummet.'),
    ).toBeInTheDocument();
    expect(await backend.calls('printKitLabels')[0]!.json()).toEqual({
      order_ids: ['kit-1', 'kit-2'],
      address_label: true,
      printer: null,
    });
    expect(agent.written).toEqual([{ device: printer, data: zpl }]);
    // Without the export permission there is no Exportera.
    expect(screen.queryByRole('button', { name: /^Exportera/ })).toBeNull();
    expect(await violations()).toEqual([]);
  });

  it('lists protected identities for manual handling with the reason, and prints their tube labels only', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWith('labels'),
      listKitOrders: waitingKits,
      printKitLabels: printed(['kit-3'], TUBE_ZPL),
    });
    const agent = installFakeBrowserPrint([printer]);
    renderApp('/pro/etiketter');

    const manual = await screen.findByRole('table', { name: '1 beställning för manuell hantering' });
    const row = within(manual).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('Skyddad identitet: ingen adress skrivs ut');
    expect(screen.queryByRole('checkbox', { name: /7777 8888 9999/ })).toBeNull();
    await screen.findByRole('combobox', { name: 'Etikettskrivare' });
    await userEvent.click(within(row).getByRole('button', { name: 'Skriv ut röretiketter för 7777 8888 9999' }));
    await screen.findByText(/1 beställning är hanterad/);
    expect(await backend.calls('printKitLabels')[0]!.json()).toEqual({ order_ids: ['kit-3'], address_label: false, printer: null });
    expect(agent.written).toEqual([{ device: printer, data: TUBE_ZPL }]);
  });

  it('exports the chosen orders as a file with the export permission', async () => {
    const createObjectURL = vi.fn(() => 'blob:export');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(`${this.download} ${this.getAttribute('href')}`);
    });
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWith('labels', 'export'),
      listKitOrders: waitingKits,
      exportKitOrders: ({ reply }: FakeCall<'exportKitOrders'>) =>
        reply(200, 'RID;Namn\r\n', {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': 'attachment; filename="hemkit-20261201-1100.csv"',
        }),
    });
    installFakeBrowserPrint([printer]);
    renderApp('/pro/etiketter');

    await userEvent.click(await screen.findByRole('checkbox', { name: 'Välj 4444 5555 6666, Tolvina Tolvansson' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Filformat' }), 'csv');
    await userEvent.click(screen.getByRole('button', { name: 'Exportera (1 vald)' }));
    expect(await screen.findByText('1 beställning har exporterats till hemkit-20261201-1100.csv.')).toBeInTheDocument();
    expect(await backend.calls('exportKitOrders')[0]!.json()).toEqual({ order_ids: ['kit-2'], format: 'csv' });
    expect(clicked).toEqual(['hemkit-20261201-1100.csv blob:export']);
    expect(createObjectURL).toHaveBeenCalledTimes(1);
  });

  it('changes nothing when others took an order first, and says which with its state', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWith('labels'),
      listKitOrders: waitingKits,
      printKitLabels: ({ problem }) =>
        problem(409, {
          type: '/problems/kit-orders-not-waiting',
          title: 'Not every selected order is waiting',
          orders: [{ order_id: 'kit-2', rid: '4444 5555 6666', status: 'handled' }],
        }),
    });
    const agent = installFakeBrowserPrint([printer]);
    renderApp('/pro/etiketter');
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Markera alla' }));
    await screen.findByRole('combobox', { name: 'Etikettskrivare' });
    await userEvent.click(screen.getByRole('button', { name: 'Skriv ut (2 valda)' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Ingenting ändrades: några av de valda beställningarna väntar inte längre.');
    expect(within(alert).getByRole('listitem')).toHaveTextContent('4444 5555 6666: Hanterad');
    expect(agent.written).toEqual([]);
  });

  it('Batchbearbetning receives every chosen order without printing', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWith('labels'),
      listKitOrders: waitingKits,
      receiveKitOrders: { batch_id: 'b-1', received: 3, handled_at: '2026-12-01T10:00:00Z' },
    });
    const agent = installFakeBrowserPrint([printer]);
    renderApp('/pro/etiketter/batch');
    expect(await screen.findByRole('heading', { level: 2, name: 'Batchbearbetning' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Markera alla' }));
    await userEvent.click(screen.getByRole('button', { name: 'Markera som mottagna (3 valda)' }));
    expect(await screen.findByText('3 beställningar är mottagna och hanterade (2026-12-01 11:00).')).toBeInTheDocument();
    expect(await backend.calls('receiveKitOrders')[0]!.json()).toEqual({ order_ids: ['kit-1', 'kit-2', 'kit-3'] });
    expect(agent.written).toEqual([]);
    expect(await violations()).toEqual([]);
  });

  it('says the labels did not reach the printer when the network printer refused them', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWith('labels'),
      listKitOrders: waitingKits,
      printKitLabels: {
        ...printed(['kit-3'], TUBE_ZPL),
        printer: 'Packrummet IP',
        network_print: { printer: 'Packrummet IP', sent: false, error: 'connection refused' },
      },
    });
    const agent = installFakeBrowserPrint([printer]);
    renderApp('/pro/etiketter');

    const manual = await screen.findByRole('table', { name: '1 beställning för manuell hantering' });
    const row = within(manual).getAllByRole('row')[1]!;
    await screen.findByRole('combobox', { name: 'Etikettskrivare' });
    await userEvent.click(within(row).getByRole('button', { name: 'Skriv ut röretiketter för 7777 8888 9999' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Beställningarna är hanterade, men etiketterna kunde inte skickas till skrivaren.',
    );
    expect(screen.queryByText(/har skickats till nätverksskrivaren/)).toBeNull();
    expect(backend.calls('printKitLabels')).toHaveLength(1);
    expect(agent.written).toEqual([]);
  });

  it('says when Zebra Browser Print does not answer on this computer', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeWith('labels'), listKitOrders: waitingKits });
    installFakeBrowserPrint(null);
    renderApp('/pro/etiketter');
    expect(await screen.findByText(/^Zebra Browser Print svarar inte på den här datorn/)).toBeInTheDocument();
    expect(screen.getByText('Ingen etikettskrivare hittades.')).toBeInTheDocument();
  });
});

describe('Ordermottagning', () => {
  it('prints the address labels of anonymous kits through its own endpoints', async () => {
    const anonymous = { ...waitingKits, total: 1, manual_handling: [], orders: [kitOrder({ labels: [{ kind: 'address', line_no: null, zpl: ADDRESS_ZPL }] })] };
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWith('order_receipt', 'export'),
      listKitDeliveryOrders: anonymous,
      printKitDeliveryLabels: { ...printed(['kit-1'], ADDRESS_ZPL), labels: [] },
    });
    const agent = installFakeBrowserPrint([printer]);
    renderApp('/pro/ordermottagning');
    expect(await screen.findByRole('heading', { level: 1, name: 'Ordermottagning' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Exportera (0 valda)' })).toBeDisabled();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Välj 1111 2222 3333, Tolvan Tolvansson' }));
    await screen.findByRole('combobox', { name: 'Etikettskrivare' });
    await userEvent.click(screen.getByRole('button', { name: 'Skriv ut (1 vald)' }));
    await screen.findByText(/1 beställning är hanterad/);
    expect(await backend.calls('printKitDeliveryLabels')[0]!.json()).toEqual({ order_ids: ['kit-1'], printer: null });
    expect(agent.written).toEqual([{ device: printer, data: ADDRESS_ZPL }]);
  });
});
