import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { citizenProfile, citizenSession, installFakeBackend } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';

const loggedIn = { getSession: citizenSession, getCitizenProfile: citizenProfile };
const ORDER = '33333333-3333-4333-8333-333333333333';

describe('the start page’s news', () => {
  it('lists the orders with results not read yet and the unread messages', async () => {
    installFakeBackend({
      ...loggedIn,
      getInboxSummary: {
        unread_messages: 2,
        unread_results: 2,
        new_results: [
          { order_id: ORDER, offer_name: 'Klamydiatest', unread_results: 2, received_at: '2026-11-20T09:30:00Z' },
        ],
      },
    });
    renderApp('/');

    const news = await screen.findByRole('region', { name: 'Nytt sedan sist' });
    expect(within(news).getByText('Du har 2 nya provsvar som du inte har läst:')).toBeInTheDocument();
    expect(within(news).getByRole('link', { name: 'Klamydiatest, svar 20 november 2026' })).toHaveAttribute(
      'href',
      `/bestallningar/${ORDER}`,
    );
    expect(within(news).getByRole('link', { name: '2 olästa meddelanden i Inkorgen' })).toHaveAttribute(
      'href',
      '/inkorg',
    );
    const menu = screen.getByRole('region', { name: 'Det här kan du göra' });
    expect(within(menu).getByRole('link', { name: 'Inkorg' })).toHaveAttribute('href', '/inkorg');
    expect(within(menu).getByRole('link', { name: 'Inställningar' })).toHaveAttribute('href', '/installningar');
  });

  it('shows only the unread message when every result is read', async () => {
    installFakeBackend({
      ...loggedIn,
      getInboxSummary: { unread_messages: 1, unread_results: 0, new_results: [] },
    });
    renderApp('/');

    const news = await screen.findByRole('region', { name: 'Nytt sedan sist' });
    expect(within(news).queryByText(/provsvar som du inte har läst/)).not.toBeInTheDocument();
    expect(within(news).getByRole('link', { name: '1 oläst meddelande i Inkorgen' })).toBeInTheDocument();
  });

  it('is not there when there is nothing new', async () => {
    const backend = installFakeBackend({
      ...loggedIn,
      getInboxSummary: { unread_messages: 0, unread_results: 0, new_results: [] },
    });
    renderApp('/');

    await screen.findByText('Välkommen, Anna Andersson!');
    await screen.findByRole('region', { name: 'Det här kan du göra' });
    expect(backend.calls('getInboxSummary').length).toBeGreaterThan(0);
    expect(screen.queryByRole('region', { name: 'Nytt sedan sist' })).not.toBeInTheDocument();
  });
});
