import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeBackend, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { assignedOffer, staffMeAssignOnly, staffMeWithModules } from '../../../test/staffFixtures';

function listRequests(requests: Request[]) {
  return requests
    .filter((r) => new URL(r.url).pathname === '/api/staff/assigned-offers')
    .map((r) => Object.fromEntries(new URL(r.url).searchParams));
}

describe('Tilldelade erbjudanden', () => {
  it('sorts on the server from header buttons and marks the sorted column with aria-sort', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      listAssignedOffers: {
        total: 60,
        total_capped: false,
        page_size: 25,
        items: [assignedOffer()],
        next_cursor: 'page-2',
      },
    });
    renderApp('/pro/tilldelade');

    const table = await screen.findByRole('table', { name: /Tilldelade erbjudanden. Sida 1 av 3/ });
    expect(listRequests(backend.requests).at(-1)).toEqual({ sort: 'assigned_at', order: 'desc', page_size: '25' });
    const assignedHeader = within(table).getByRole('columnheader', { name: /^Tilldelat(?! av)/ });
    expect(assignedHeader).toHaveAttribute('aria-sort', 'descending');
    const usedHeader = within(table).getByRole('columnheader', { name: /^Använt/ });
    expect(usedHeader).not.toHaveAttribute('aria-sort');

    await userEvent.click(within(usedHeader).getByRole('button'));
    expect(within(table).getByRole('columnheader', { name: /^Använt/ })).toHaveAttribute('aria-sort', 'descending');
    expect(within(table).getByRole('columnheader', { name: /^Tilldelat(?! av)/ })).not.toHaveAttribute('aria-sort');
    expect(listRequests(backend.requests).at(-1)).toEqual({ sort: 'times_used', order: 'desc', page_size: '25' });

    await userEvent.click(within(table).getByRole('button', { name: /^Använt/ }));
    expect(within(table).getByRole('columnheader', { name: /^Använt/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(listRequests(backend.requests).at(-1)).toEqual({ sort: 'times_used', order: 'asc', page_size: '25' });
  });

  it('shows personnummer and name without a sort button: they are encrypted', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      listAssignedOffers: { total: 1, total_capped: false, page_size: 25, items: [assignedOffer()], next_cursor: null },
    });
    renderApp('/pro/tilldelade');

    const table = await screen.findByRole('table');
    for (const name of [/^Personnummer/, /^Namn/, /^Erbjudande/]) {
      expect(within(within(table).getByRole('columnheader', { name })).queryByRole('button')).toBeNull();
    }
    expect(screen.getByText(/Personnummer och namn lagras krypterade/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sök en patient i Tilldela erbjudande' })).toHaveAttribute(
      'href',
      '/pro/tilldela',
    );
    expect(screen.queryByRole('navigation', { name: 'Sidor' })).toBeNull();
  });

  it('follows the cursor to the next page and goes back to the page before', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      listAssignedOffers: ({ query, reply }) => {
        const cursor = query.get('cursor');
        const page = cursor === null ? 1 : Number(cursor.replace('after-', '')) + 1;
        return reply(200, {
          total: 1000,
          total_capped: true,
          page_size: 25,
          items: [assignedOffer({ id: `a-${page}`, offer_name: `Erbjudande på sida ${page}` })],
          next_cursor: `after-${page}`,
        });
      },
    });
    renderApp('/pro/tilldelade');

    expect(await screen.findByText('Erbjudande på sida 1')).toBeInTheDocument();
    expect(screen.getByText('Fler än 1000 tilldelade erbjudanden')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Föregående sida' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Nästa sida' }));
    expect(await screen.findByText('Erbjudande på sida 2')).toBeInTheDocument();
    expect(screen.getByText('Sida 2')).toBeInTheDocument();
    expect(listRequests(backend.requests).at(-1)).toEqual({
      sort: 'assigned_at',
      order: 'desc',
      page_size: '25',
      cursor: 'after-1',
    });

    await userEvent.click(screen.getByRole('button', { name: 'Nästa sida' }));
    expect(await screen.findByText('Erbjudande på sida 3')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Föregående sida' }));
    expect(await screen.findByText('Erbjudande på sida 2')).toBeInTheDocument();
    expect(listRequests(backend.requests).at(-1)?.cursor).toBe('after-1');

    // Sorting starts from the first page again.
    await userEvent.click(screen.getByRole('button', { name: /^Senast använt/ }));
    expect(await screen.findByText('Erbjudande på sida 1')).toBeInTheDocument();
    expect(listRequests(backend.requests).at(-1)).toEqual({ sort: 'last_used_at', order: 'desc', page_size: '25' });
  });

  it('filters by one of the unit\'s offers', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      listAssignableOffers: [
        {
          catalog_id: '1002',
          name: 'Diabeteskontroll (HbA1c)',
          sampling_method: 'site_booking',
          validity_days: 90,
          products: ['HbA1c'],
          min_age: null,
          max_age: null,
          sex: null,
        },
      ],
      listAssignedOffers: ({ query, reply }) =>
        reply(200, {
          total: query.get('catalog_id') ? 0 : 1,
          total_capped: false,
          page_size: 25,
          items: query.get('catalog_id') ? [] : [assignedOffer()],
          next_cursor: null,
        }),
    });
    renderApp('/pro/tilldelade');

    await userEvent.selectOptions(await screen.findByLabelText('Erbjudande'), 'Diabeteskontroll (HbA1c)');

    expect(await screen.findByText('Vårdenheten har inte tilldelat det här erbjudandet.')).toBeInTheDocument();
    expect(listRequests(backend.requests).at(-1)).toEqual({
      sort: 'assigned_at',
      order: 'desc',
      page_size: '25',
      catalog_id: '1002',
    });
  });

  it('shows a clear message without the module', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeAssignOnly });
    renderApp('/pro/tilldelade');
    expect(await screen.findByRole('heading', { level: 1, name: 'Behörighet saknas' })).toBeInTheDocument();
  });

  it('shows who assigned an offer by name, and the HSA id only when there is no name (issue 11 item 17)', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      listAssignedOffers: {
        total: 2,
        total_capped: false,
        page_size: 25,
        next_cursor: null,
        items: [
          assignedOffer({ id: 'a-1', assigned_by_name: 'Sara Svensson' }),
          assignedOffer({ id: 'a-2', assigned_by_hsa_id: 'SE2321000016-4444', assigned_by_name: null }),
        ],
      },
    });
    renderApp('/pro/tilldelade');
    const table = await screen.findByRole('table');
    const column = within(table)
      .getAllByRole('columnheader')
      .findIndex((h) => /^Tilldelat av/.test(h.textContent ?? ''));
    const byWhom = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell')[column]?.textContent);
    expect(byWhom).toEqual(['Sara Svensson', 'SE2321000016-4444']);
  });
});
