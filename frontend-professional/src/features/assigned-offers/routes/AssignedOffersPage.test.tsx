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
      listAssignedOffers: ({ query, reply }) => {
        const page = Number(query.get('page'));
        return reply(200, { total: 60, page, page_size: 25, items: [assignedOffer({ id: `a-${page}` })] });
      },
    });
    renderApp('/pro/tilldelade');

    const table = await screen.findByRole('table', { name: /Tilldelade erbjudanden, sida 1 av 3/ });
    expect(listRequests(backend.requests).at(-1)).toEqual({ sort: 'assigned_at', order: 'desc', page: '1', page_size: '25' });
    const assignedHeader = within(table).getByRole('columnheader', { name: /^Tilldelat(?! av)/ });
    expect(assignedHeader).toHaveAttribute('aria-sort', 'descending');
    const nameHeader = within(table).getByRole('columnheader', { name: /^Namn/ });
    expect(nameHeader).not.toHaveAttribute('aria-sort');

    await userEvent.click(within(nameHeader).getByRole('button'));
    await screen.findByRole('columnheader', { name: /^Namn/ });
    expect(within(table).getByRole('columnheader', { name: /^Namn/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(within(table).getByRole('columnheader', { name: /^Tilldelat(?! av)/ })).not.toHaveAttribute('aria-sort');
    expect(listRequests(backend.requests).at(-1)).toEqual({ sort: 'name', order: 'asc', page: '1', page_size: '25' });

    await userEvent.click(within(table).getByRole('button', { name: /^Namn/ }));
    expect(within(table).getByRole('columnheader', { name: /^Namn/ })).toHaveAttribute('aria-sort', 'descending');
    expect(listRequests(backend.requests).at(-1)).toEqual({ sort: 'name', order: 'desc', page: '1', page_size: '25' });

    await userEvent.click(screen.getByRole('button', { name: 'Nästa sida' }));
    expect(await screen.findByText('Sida 2 av 3')).toBeInTheDocument();
    expect(listRequests(backend.requests).at(-1)).toEqual({ sort: 'name', order: 'desc', page: '2', page_size: '25' });
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
        page: 1,
        page_size: 25,
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
