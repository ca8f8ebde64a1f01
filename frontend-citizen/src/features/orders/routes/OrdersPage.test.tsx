import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { citizenProfile, citizenSession, installFakeBackend } from '../../../test/fakeBackend';
import { placedOrder } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

describe('OrdersPage', () => {
  it('lists the orders with status in Swedish, booked time and a badge for new results', async () => {
    const backend = installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: citizenProfile,
      listCitizenOrders: {
        next_cursor: null,
        items: [
          {
            ...placedOrder,
            offer_name: 'HIV- och syfilistest',
            sampling_method: 'site_booking',
            status: 'ordered',
            booking_starts_at: '2026-12-01T07:00:00Z',
            sampling_unit_name: 'Provtagningen Solna',
          },
          { ...placedOrder, order_id: 'other', status: 'sampled', unread_results: 1 },
        ],
      },
    });
    renderApp('/bestallningar');

    const link = await screen.findByRole('link', { name: 'HIV- och syfilistest' });
    const booked = link.closest('li');
    expect(booked).not.toBeNull();
    expect(within(booked as HTMLElement).getByText('Beställd')).toBeInTheDocument();
    expect(within(booked as HTMLElement).getByText('1 december 2026 kl. 08:00, Provtagningen Solna')).toBeInTheDocument();
    expect(within(booked as HTMLElement).getByRole('link')).toHaveAttribute(
      'href',
      `/bestallningar/${placedOrder.order_id}`,
    );
    expect(screen.getByText('Provtagen')).toBeInTheDocument();
    expect(screen.getAllByText('Nytt provsvar')).toHaveLength(1);
    const list = backend.requests.find((r) => new URL(r.url).pathname === '/api/citizen/orders');
    expect(new URL(list?.url ?? '').searchParams.get('state')).toBe('ongoing');
    expect(screen.getByRole('link', { name: 'Pågående beställningar' })).toHaveAttribute('aria-current', 'page');
    expect(screen.queryByRole('button', { name: 'Visa fler' })).not.toBeInTheDocument();
  });

  it('shows twenty at a time and the next ones under "Visa fler"', async () => {
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, n) => ({
        ...placedOrder,
        order_id: `order-${from + n}`,
        offer_name: `Beställning ${from + n}`,
      }));
    const backend = installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: citizenProfile,
      listCitizenOrders: ({ query, reply }) =>
        query.get('cursor') === 'after-20'
          ? reply(200, { items: page(21, 3), next_cursor: null })
          : reply(200, { items: page(1, 20), next_cursor: 'after-20' }),
    });
    renderApp('/bestallningar/tidigare');

    expect(await screen.findByRole('link', { name: 'Beställning 20' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Beställning 21' })).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Visa fler' }));

    expect(await screen.findByRole('link', { name: 'Beställning 23' })).toBeInTheDocument();
    expect(screen.getAllByRole('listitem').filter((item) => item.classList.contains('order-card'))).toHaveLength(23);
    expect(screen.queryByRole('button', { name: 'Visa fler' })).not.toBeInTheDocument();
    const lists = backend.requests
      .filter((r) => new URL(r.url).pathname === '/api/citizen/orders')
      .map((r) => Object.fromEntries(new URL(r.url).searchParams));
    expect(lists).toEqual([{ state: 'previous' }, { state: 'previous', cursor: 'after-20' }]);
  });

  it('has an empty state for previous orders', async () => {
    installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: citizenProfile,
      listCitizenOrders: { items: [], next_cursor: null },
    });
    renderApp('/bestallningar/tidigare');
    expect(await screen.findByText('Du har inga tidigare beställningar.')).toBeInTheDocument();
  });
});
