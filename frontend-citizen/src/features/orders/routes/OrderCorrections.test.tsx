// Items 15, 8 and 16 of issue 11 on the order page: one cancel request however often it is
// clicked; deleting only from the result view; a cancelled order is not shown as booked or
// waiting for a result; plain words instead of internal terms; a result table that reflows.
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OrderDetails } from '@shared/client/types.gen';
import { violations } from '@shared/test/axe';
import { citizenProfile, citizenSession, installFakeBackend } from '../../../test/fakeBackend';
import { ORDER_ID, placedOrder } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

const loggedIn = { getSession: citizenSession, getCitizenProfile: citizenProfile } as const;

const booking: NonNullable<OrderDetails['booking']> = {
  sampling_unit_id: '11111111-1111-4111-8111-111111111111',
  starts_at: '2026-12-01T08:15:00Z',
  sampling_unit_name: 'Provtagningen Solna',
  address: 'Solnavägen 1, 17165 Solna',
};

const bookedOrder: OrderDetails = {
  ...placedOrder,
  sampling_method: 'site_booking',
  booking_starts_at: booking.starts_at,
  sampling_unit_name: booking.sampling_unit_name,
  booking,
  delivery_address: null,
};

const answered: OrderDetails = {
  ...placedOrder,
  status: 'answered',
  results: 1,
  can_cancel: false,
  cancel_refusal: 'finished',
  lines: [
    {
      line_no: 1,
      product_code: 'PEP-CT',
      product_name: 'Klamydia',
      result: {
        sampling_date: '2026-11-18',
        version: 1,
        corrected: false,
        insight: 'negative',
        insight_text: 'Negativt. Provet visar ett negativt resultat.',
        values: [{ analysis: 'Chlamydia trachomatis DNA', value: 'Ej påvisad', unit: 'ng/ml', reference_range: 'Ej påvisad' }],
        comment: null,
        received_at: '2026-11-20T10:00:00Z',
        read: true,
      },
    },
  ],
};

describe('cancelling (item 15)', () => {
  it('sends one request when "Ja, ångra beställningen" is clicked twice, and shows only the success', async () => {
    let release: () => void = () => undefined;
    const backend = installFakeBackend({
      ...loggedIn,
      getCitizenOrder: placedOrder,
      cancelOrder: async ({ reply }) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return reply(200, { ...placedOrder, status: 'cancelled', version: 2, can_cancel: false, cancel_refusal: 'already_cancelled' });
      },
    });
    renderApp(`/bestallningar/${ORDER_ID}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Ångra beställning' }));
    const dialog = screen.getByRole('dialog', { name: 'Vill du ångra beställningen?' });
    const confirm = within(dialog).getByRole('button', { name: 'Ja, ångra beställningen' });

    // Two clicks before React has re-rendered anything.
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    expect(await within(dialog).findByRole('button', { name: 'Ångrar …' })).toBeDisabled();
    release();

    expect(await screen.findByText('Beställningen är ångrad.')).toBeInTheDocument();
    expect(backend.calls('cancelOrder')).toHaveLength(1);
    expect(screen.queryByText(/hade ändrats sedan du öppnade den/)).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('deleting (item 8)', () => {
  it('is not offered for an ongoing order, which offers Ångra only', async () => {
    installFakeBackend({ ...loggedIn, getCitizenOrder: placedOrder });
    renderApp(`/bestallningar/${ORDER_ID}`);
    expect(await screen.findByRole('button', { name: 'Ångra beställning' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Ta bort beställning och provsvar' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Övrigt' })).not.toBeInTheDocument();
  });

  it('is not offered for a cancelled order without a result', async () => {
    installFakeBackend({
      ...loggedIn,
      getCitizenOrder: { ...placedOrder, status: 'cancelled', can_cancel: false, cancel_refusal: 'already_cancelled' },
    });
    renderApp(`/bestallningar/${ORDER_ID}`);
    await screen.findByText('Beställningen är redan ångrad.');
    expect(screen.queryByRole('button', { name: 'Ta bort beställning och provsvar' })).not.toBeInTheDocument();
  });

  it('is offered under Övrigt after the result, and explains a 409 for an ongoing order', async () => {
    const ongoingWithResult: OrderDetails = { ...answered, status: 'sampled' };
    installFakeBackend({
      ...loggedIn,
      getCitizenOrder: ongoingWithResult,
      markResultsRead: ({ reply }) => reply(204),
      deleteOrder: ({ problem }) =>
        problem(409, { type: '/problems/order-not-deletable', title: 'An ongoing order is cancelled, not deleted' }),
    });
    renderApp(`/bestallningar/${ORDER_ID}`);
    const other = await screen.findByRole('region', { name: 'Övrigt' });
    const results = screen.getByRole('region', { name: 'Provsvar' });
    // Övrigt comes after the result view.
    expect(results.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await userEvent.click(within(other).getByRole('button', { name: 'Ta bort beställning och provsvar' }));
    const dialog = screen.getByRole('dialog', { name: 'Ta bort beställning och provsvar' });
    await userEvent.type(within(dialog).getByLabelText(/Bekräfta med ditt personnummer/), '19900101-9876');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ta bort' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Beställningen kan inte tas bort eftersom den pågår. Du kan ångra den i stället.',
    );
  });
});

describe('wording (item 16)', () => {
  it('a cancelled order shows its time as cancelled, not booked, and no "no result yet"', async () => {
    installFakeBackend({
      ...loggedIn,
      getCitizenOrder: { ...bookedOrder, status: 'cancelled', can_cancel: false, cancel_refusal: 'already_cancelled' },
    });
    renderApp(`/bestallningar/${ORDER_ID}`);
    expect(await screen.findByText('Avbokad tid')).toBeInTheDocument();
    expect(screen.queryByText('Bokad tid')).not.toBeInTheDocument();
    expect(screen.getByText('Avbokad tid').nextElementSibling).toHaveTextContent(
      '1 december 2026 kl. 09:15 (avbokad)Provtagningen Solna',
    );
    expect(screen.getByText('Beställningen är ångrad. Därför kommer det inget provsvar.')).toBeInTheDocument();
    expect(screen.queryByText('Det finns inget provsvar ännu.')).not.toBeInTheDocument();
  });

  it('the orders list shows a cancelled time as cancelled', async () => {
    installFakeBackend({
      ...loggedIn,
      listCitizenOrders: {
        next_cursor: null,
        items: [
          {
            order_id: ORDER_ID,
            rid: 'E672-XNH3-3J',
            offer_name: 'HIV- och syfilistest',
            sampling_method: 'site_booking',
            status: 'cancelled',
            created_at: '2026-11-20T09:00:00Z',
            expires_at: null,
            booking_starts_at: booking.starts_at,
            sampling_unit_name: booking.sampling_unit_name,
            results: 0,
            unread_results: 0,
          },
        ],
      },
    });
    renderApp('/bestallningar/tidigare');
    expect(await screen.findByText('Avbokad tid')).toBeInTheDocument();
    expect(screen.queryByText('Bokad tid')).not.toBeInTheDocument();
    expect(screen.getByText('Ångrad')).toBeInTheDocument();
  });

  it('explains the RID and uses no internal status words', async () => {
    installFakeBackend({ ...loggedIn, getCitizenOrder: { ...placedOrder, status: 'handled' } });
    renderApp(`/bestallningar/${ORDER_ID}`);
    expect(await screen.findByText('Provets ID-nummer (RID)')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Provets ID-nummer (RID) står på etiketten på provröret. Mottagningen och laboratoriet känner igen ditt prov med det. Ha det till hands om du kontaktar vården om beställningen.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Mottagen av vården')).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/hanterad|hanterats/i);
  });

  it('labels each result cell, so that the table reflows to stacked rows on a phone', async () => {
    installFakeBackend({ ...loggedIn, getCitizenOrder: answered, markResultsRead: ({ reply }) => reply(204) });
    renderApp(`/bestallningar/${ORDER_ID}`);
    const table = await screen.findByRole('table', { name: 'Analysresultat för Klamydia' });
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    expect(
      [...row.querySelectorAll('th, td')].map((cell) => [cell.getAttribute('data-label'), cell.textContent]),
    ).toEqual([
      ['Analys', 'Chlamydia trachomatis DNA'],
      ['Resultat', 'Ej påvisad'],
      ['Enhet', 'ng/ml'],
      ['Referensintervall', 'Ej påvisad'],
    ]);
    expect(await violations()).toEqual([]);
  });
});
