import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { violations } from '@shared/test/axe';
import { describe, expect, it } from 'vitest';
import { twoMessages } from './features/inbox/fixtures';
import {
  citizenProfile,
  citizenSession,
  installFakeBackend,
  loggedOutSession,
  validationProblem,
} from './test/fakeBackend';
import { homeKitOffer, ORDER_ID, placedOrder } from './test/fixtures';
import { renderApp } from './test/renderApp';

describe('accessibility', () => {
  it('logged-out start page has no axe violations', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    renderApp('/');
    await screen.findByRole('button', { name: 'Logga in med BankID' });
    expect(await violations()).toEqual([]);
  });

  it('logged-in start page has no axe violations', async () => {
    installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: citizenProfile,
    });
    renderApp('/');
    await screen.findByText('Välkommen, Anna Andersson!');
    expect(await violations()).toEqual([]);
  });

  const loggedIn = {
    getSession: citizenSession,
    getCitizenProfile: citizenProfile,
  };

  it('offer list has no axe violations', async () => {
    installFakeBackend({ ...loggedIn, listCitizenOffers: [homeKitOffer] });
    renderApp('/bestall');
    await screen.findByRole('link', { name: homeKitOffer.name });
    expect(await violations()).toEqual([]);
  });

  it('order form with errors has no axe violations', async () => {
    installFakeBackend({ ...loggedIn, getCitizenOffer: homeKitOffer });
    renderApp('/Offer/Details?offerCatalogID=1001');
    await userEvent.click(await screen.findByRole('button', { name: 'Nästa' }));
    await userEvent.click(screen.getByRole('button', { name: 'Nästa' }));
    await screen.findByRole('alert');
    expect(await violations()).toEqual([]);
  });

  it('order page with a result has no axe violations', async () => {
    installFakeBackend({
      ...loggedIn,
      getCitizenOrder: {
        ...placedOrder,
        status: 'answered',
        results: 1,
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
              values: [{ analysis: 'Chlamydia trachomatis DNA', value: 'Ej påvisad' }],
              comment: null,
              received_at: '2026-11-20T10:00:00Z',
              read: true,
            },
          },
        ],
      },
    });
    renderApp(`/bestallningar/${ORDER_ID}`);
    await screen.findByText('Negativt. Provet visar ett negativt resultat.');
    expect(await violations()).toEqual([]);
  });

  it('kit registration has no axe violations', async () => {
    installFakeBackend(loggedIn);
    renderApp('/kit');
    await screen.findByLabelText('Kitnummer');
    expect(await violations()).toEqual([]);
  });

  it('inbox with read and unread messages has no axe violations', async () => {
    installFakeBackend({ ...loggedIn, listInboxMessages: twoMessages });
    renderApp('/inkorg');
    await screen.findByText('Du har 1 oläst meddelande.');
    expect(await violations()).toEqual([]);
  });

  it('start page with new results has no axe violations', async () => {
    installFakeBackend({
      ...loggedIn,
      getInboxSummary: {
        unread_messages: 1,
        unread_results: 1,
        new_results: [
          { order_id: ORDER_ID, offer_name: 'Klamydiatest', unread_results: 1, received_at: '2026-11-20T09:30:00Z' },
        ],
      },
    });
    renderApp('/');
    await screen.findByRole('region', { name: 'Nytt sedan sist' });
    expect(await violations()).toEqual([]);
  });

  it('settings with refused contact details have no axe violations', async () => {
    installFakeBackend({
      ...loggedIn,
      getContactDetails: { email: null, mobile: null, version: 0 },
      changeContactDetails: ({ problem }) =>
        problem(422, validationProblem([{ field: 'email', message: 'invalid', code: 'invalid_email' }])),
    });
    renderApp('/installningar');
    await userEvent.type(await screen.findByLabelText(/^E-postadress/), 'anna@example.se');
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));
    await screen.findByRole('alert');
    expect(await violations()).toEqual([]);
  });
});
