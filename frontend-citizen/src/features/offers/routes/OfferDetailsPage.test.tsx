import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { pageNavigation } from '../../../lib/navigation';
import {
  citizenProfile,
  citizenSession,
  installFakeBackend,
  loggedOutSession,
} from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';

describe('OfferDetailsPage', () => {
  it('offers login that returns to the full deep link', async () => {
    installFakeBackend({ 'GET /api/session': loggedOutSession });
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    renderApp('/Offer/Details?offerCatalogID=abc-123');

    await userEvent.click(await screen.findByRole('button', { name: 'Logga in med BankID' }));
    expect(assign).toHaveBeenCalledWith(
      `/auth/citizen/login?return_to=${encodeURIComponent('/Offer/Details?offerCatalogID=abc-123')}`,
    );
  });

  it('says honestly that the offer view comes later when logged in', async () => {
    installFakeBackend({
      'GET /api/session': citizenSession,
      'GET /api/citizen/profile': citizenProfile,
    });
    renderApp('/Offer/Details?offerCatalogID=abc-123');

    expect(
      await screen.findByText(/Visning av enskilda erbjudanden kommer i ett senare steg/),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Provtagningserbjudande');
  });
});
