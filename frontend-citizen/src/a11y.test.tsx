import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { violations } from '@shared/test/axe';
import { describe, expect, it } from 'vitest';
import { citizenProfile, citizenSession, installFakeBackend, loggedOutSession } from './test/fakeBackend';
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
    await screen.findByText('Provet visar ingen infektion.');
    expect(await violations()).toEqual([]);
  });

  it('kit registration has no axe violations', async () => {
    installFakeBackend(loggedIn);
    renderApp('/kit');
    await screen.findByLabelText('Kitnummer');
    expect(await violations()).toEqual([]);
  });
});
