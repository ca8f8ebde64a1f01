import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OrderDetails } from '@shared/client/types.gen';
import { citizenProfile, citizenSession, installFakeBackend } from '../../../test/fakeBackend';
import { ORDER_ID, placedOrder, problemBody } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

const loggedIn = {
  getSession: citizenSession,
  getCitizenProfile: citizenProfile,
};

type Insight = 'positive' | 'negative' | 'technical_error' | 'answer';

// What care configured for each insight (the result template's, the offer's or the default text):
// the app shows it as it comes, with no wording of its own.
const CONFIGURED: Record<Insight, string> = {
  positive: 'Provet visar klamydia. Mottagningen kontaktar dig om behandling.',
  negative: 'Negativt. Provet visar ett negativt resultat.',
  technical_error: 'Tekniskt fel. Provet kunde inte analyseras.',
  answer: 'Svar. Ditt provsvar finns nedan.',
};

function answered(insight: Insight | null, extra: Partial<OrderDetails> = {}): OrderDetails {
  return {
    ...placedOrder,
    status: 'answered',
    results: 1,
    unread_results: 1,
    can_cancel: false,
    cancel_refusal: 'sampled',
    lines: [
      {
        line_no: 1,
        product_code: 'PEP-CT',
        product_name: 'Klamydia',
        result: {
          sampling_date: '2026-11-18',
          version: 2,
          corrected: true,
          insight,
          insight_text: insight ? CONFIGURED[insight] : null,
          values: [
            { analysis: 'Chlamydia trachomatis DNA', value: 'Påvisad', unit: null, reference_range: 'Ej påvisad' },
          ],
          comment: 'Kontakta din vårdgivare för behandling.',
          received_at: '2026-11-20T10:00:00Z',
          read: false,
        },
      },
    ],
    ...extra,
  };
}

describe('OrderPage', () => {
  it.each(Object.entries(CONFIGURED) as [Insight, string][])(
    'shows the configured text of the insight %s, with the advice to ask care',
    async (insight, text) => {
    installFakeBackend({
      ...loggedIn,
      getCitizenOrder: answered(insight),
      markResultsRead: ({ reply }) => reply(204),
    });
    renderApp(`/bestallningar/${ORDER_ID}`);

    expect(await screen.findByText(text)).toBeInTheDocument();
    expect(screen.getByText(/Har du frågor om provsvaret\? Kontakta din vårdgivare/)).toBeInTheDocument();
    expect(screen.getByText('Korrigerat svar')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Analysresultat för Klamydia' });
    expect(within(table).getByRole('cell', { name: 'Påvisad' })).toBeInTheDocument();
    expect(within(table).getByRole('cell', { name: 'Ej påvisad' })).toBeInTheDocument();
    expect(screen.getByText('Besvarad')).toBeInTheDocument();
    },
  );

  it('shows no interpretation of its own for a result without an insight', async () => {
    installFakeBackend({
      ...loggedIn,
      getCitizenOrder: answered(null),
      markResultsRead: ({ reply }) => reply(204),
    });
    const { container } = renderApp(`/bestallningar/${ORDER_ID}`);

    expect(await screen.findByText(/Har du frågor om provsvaret\?/)).toBeInTheDocument();
    expect(container.querySelector('.insight__text')).toBeNull();
  });

  it('marks unread results read once they are shown', async () => {
    const backend = installFakeBackend({
      ...loggedIn,
      getCitizenOrder: answered('negative'),
      markResultsRead: ({ reply }) => reply(204),
    });
    renderApp(`/bestallningar/${ORDER_ID}`);

    await screen.findByText(CONFIGURED.negative);
    await waitFor(() =>
      expect(backend.requests.filter((r) => r.url.endsWith('/results/read'))).toHaveLength(1),
    );
  });

  it('says why an order cannot be cancelled', async () => {
    installFakeBackend({
      ...loggedIn,
      getCitizenOrder: { ...placedOrder, status: 'handled', can_cancel: false, cancel_refusal: 'delivery_started' },
    });
    renderApp(`/bestallningar/${ORDER_ID}`);

    expect(
      await screen.findByText('Beställningen kan inte ångras eftersom provtagningskitet redan har skickats.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Ångra beställning' })).not.toBeInTheDocument();
  });

  it('cancels after confirmation, sending the version as If-Match', async () => {
    const backend = installFakeBackend({
      ...loggedIn,
      getCitizenOrder: { ...placedOrder, version: 3 },
      cancelOrder: {
        ...placedOrder,
        version: 4,
        status: 'cancelled',
        can_cancel: false,
        cancel_refusal: 'already_cancelled',
      },
    });
    renderApp(`/bestallningar/${ORDER_ID}`);

    await userEvent.click(await screen.findByRole('button', { name: 'Ångra beställning' }));
    const dialog = screen.getByRole('dialog', { name: 'Vill du ångra beställningen?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ja, ångra beställningen' }));

    expect(await screen.findByText('Beställningen är ångrad.')).toBeInTheDocument();
    expect(screen.getByText('Ångrad')).toBeInTheDocument();
    const cancel = backend.requests.find((r) => r.url.endsWith('/cancel'));
    expect(cancel?.headers.get('If-Match')).toBe('"3"');
    expect(cancel?.headers.get('X-CSRF-Token')).toBe('csrf-123');
  });

  it('reloads the order when cancelling is refused by the server', async () => {
    let loads = 0;
    installFakeBackend({
      ...loggedIn,
      getCitizenOrder: ({ reply }) => {
        loads += 1;
        return reply(
          200,
          loads === 1 ? placedOrder : { ...placedOrder, status: 'sampled', can_cancel: false, cancel_refusal: 'sampled' },
        );
      },
      cancelOrder: ({ problem }) =>
        problem(409, problemBody(409, 'order-cannot-be-cancelled', { detail: 'the sample has already been taken' })),
    });
    renderApp(`/bestallningar/${ORDER_ID}`);

    await userEvent.click(await screen.findByRole('button', { name: 'Ångra beställning' }));
    await userEvent.click(screen.getByRole('button', { name: 'Ja, ångra beställningen' }));

    expect(await screen.findByText(/Beställningen kunde inte ångras/)).toBeInTheDocument();
    expect(
      await screen.findByText('Beställningen kan inte ångras eftersom provet redan är taget.'),
    ).toBeInTheDocument();
  });

  it('deletes the order only with the personnummer typed, then returns to the list', async () => {
    let deletes = 0;
    const backend = installFakeBackend({
      ...loggedIn,
      getCitizenOrder: answered('negative', { unread_results: 0 }),
      deleteOrder: async ({ body, reply, problem }) => {
        deletes += 1;
        if ((await body()).confirm_personnummer !== '19900101-9876') {
          return problem(
            422,
            problemBody(422, 'validation', {
              errors: [{ field: 'confirm_personnummer', message: 'is not your personnummer', code: 'not_own_personnummer' }],
            }),
          );
        }
        return reply(204);
      },
      listCitizenOrders: { items: [], next_cursor: null },
    });
    renderApp(`/bestallningar/${ORDER_ID}`);

    await userEvent.click(await screen.findByRole('button', { name: 'Ta bort beställning och provsvar' }));
    const dialog = screen.getByRole('dialog', { name: 'Ta bort beställning och provsvar' });
    expect(within(dialog).getByText('OBS! Det går inte att ångra borttagningen.')).toBeInTheDocument();
    const field = within(dialog).getByLabelText('Bekräfta med ditt personnummer');

    // Nothing typed: no request, an error tied to the field.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ta bort' }));
    expect(deletes).toBe(0);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(/Skriv ditt personnummer för att bekräfta borttagningen/);

    // Someone else's number: the server says no.
    await userEvent.type(field, '19121212-1212');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ta bort' }));
    expect(await within(dialog).findByText('Personnumret stämmer inte med ditt eget. Kontrollera att du har skrivit rätt.')).toBeInTheDocument();

    await userEvent.clear(field);
    await userEvent.type(field, '19900101-9876');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ta bort' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Tidigare beställningar' })).toBeInTheDocument();
    expect(screen.getByText('Beställningen och provsvaret är borttagna.')).toBeInTheDocument();
    expect(deletes).toBe(2);
    const last = backend.requests.filter((r) => r.url.endsWith('/delete')).at(-1);
    expect(last?.headers.get('X-CSRF-Token')).toBe('csrf-123');
  });
});
