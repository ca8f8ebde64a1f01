import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { violations } from '@shared/test/axe';
import type { StaffMe, WorklistItemOut, WorklistPageOut } from '@shared/client/types.gen';
import { installFakeBackend, staffMeWithoutContext, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { POLL_INTERVAL_MS } from '../api/worklist';

const UNIT = 'SE2321000016-2002';
const follower: StaffMe = {
  ...staffMeWithoutContext,
  selected_assignment_id: 'uppdrag-2',
  modules: [{ module: 'worklist', care_unit_hsa_id: UNIT }],
};

function item(overrides: Partial<WorklistItemOut> = {}): WorklistItemOut {
  return {
    id: 'line-1',
    version: 1,
    order_id: 'order-1',
    rid: 'ABC-123-456',
    patient: { personnummer: '19900101-2385', name: 'Vera Testsson' },
    offer_name: 'Klamydia- och gonorrétest hemma',
    product_code: 'PEP-CT',
    product_name: 'Klamydia (Chlamydia trachomatis), NAAT',
    sampling_method: 'home_kit',
    insight: 'positive',
    sampling_date: '2026-11-30',
    result_at: '2026-12-01T09:30:00Z',
    read: false,
    read_at: null,
    takeovers: [],
    comments: { count: 0, latest: null },
    archived: false,
    archive: null,
    ...overrides,
  };
}

function page(items: WorklistItemOut[], overrides: Partial<WorklistPageOut> = {}): WorklistPageOut {
  return {
    care_unit: { hsa_id: UNIT, name: 'STD-mottagningen Södersjukhuset', insights: ['positive'] },
    total: items.length,
    total_capped: false,
    page: 1,
    page_size: 25,
    change_token: 'token-1',
    items,
    ...overrides,
  };
}

const read = item({
  id: 'line-2',
  order_id: 'order-2',
  patient: { personnummer: '19850412-9829', name: 'Anna Andersson' },
  read: true,
  read_at: '2026-12-01T14:00:00Z',
  takeovers: [
    {
      taken_by_hsa_id: 'SE2321000016-1001',
      taken_by_name: 'Karin Holm',
      care_unit_hsa_id: 'SE2321000016-A001',
      care_unit_name: 'Vårdcentralen Solna',
      taken_at: '2026-12-02T08:00:00Z',
    },
  ],
  comments: {
    count: 1,
    latest: {
      id: 'comment-1',
      author_hsa_id: 'SE2321000016-1002',
      author_name: 'Mikael Sandberg',
      created_at: '2026-12-02T10:00:00Z',
      text: 'Patienten kallad till mottagningen.',
    },
  },
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Arbetslista', () => {
  it('shows the unit’s results with read status, takeover and comments, and has no axe violations', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: follower, listWorklist: page([item(), read]) });
    renderApp('/pro/arbetslista');

    const table = await screen.findByRole('table', { name: /Aktiva svar i arbetslistan/ });
    expect(screen.getByRole('heading', { level: 1, name: 'Arbetslista' })).toBeInTheDocument();
    expect(screen.getByText(/visar svar med insikten Positivt/)).toBeInTheDocument();
    const [, first, second] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('Vera Testsson');
    expect(first).toHaveTextContent('19900101-2385');
    expect(first).toHaveTextContent('Positivt');
    expect(first).toHaveTextContent('Nej');
    expect(first).toHaveTextContent('Inte övertaget');
    expect(second).toHaveTextContent('Ja, 2026-12-01 15:00');
    expect(second).toHaveTextContent('Karin Holm, Vårdcentralen Solna, 2026-12-02 09:00');
    expect(second).toHaveTextContent('Patienten kallad till mottagningen.');
    expect(within(second!).getByRole('button', { name: 'Kommentarer (1) för Anna Andersson' })).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: /Svarsdatum/ })).toHaveAttribute('aria-sort', 'descending');
    expect(await violations()).toEqual([]);
  }, 20_000);

  it('asks the server to filter and sort, and starts again on page one', async () => {
    const backend = installFakeBackend({ getSession: staffSession, getStaffMe: follower, listWorklist: page([item()]) });
    renderApp('/pro/arbetslista');
    await screen.findByRole('table');

    await userEvent.selectOptions(screen.getByLabelText('Läst av invånaren'), 'unread');
    await userEvent.selectOptions(screen.getByLabelText('Behandlingsansvar'), 'no');
    await userEvent.click(screen.getByRole('button', { name: /Läst av invånaren/ }));

    await waitFor(() => expect(backend.calls('listWorklist')).toHaveLength(4));
    const last = new URL(backend.calls('listWorklist').at(-1)!.url);
    expect(Object.fromEntries(last.searchParams)).toEqual({
      archived: 'false',
      read: 'false',
      taken_over: 'false',
      sort: 'read_date',
      order: 'desc',
      page: '1',
      page_size: '25',
    });
  });

  it('does not send a date range that ends before it starts', async () => {
    const backend = installFakeBackend({ getSession: staffSession, getStaffMe: follower, listWorklist: page([item()]) });
    renderApp('/pro/arbetslista');
    await screen.findByRole('table');

    await userEvent.type(screen.getByLabelText('Svarsdatum från'), '2026-12-10');
    await userEvent.type(screen.getByLabelText('Svarsdatum till'), '2026-12-01');

    expect(await screen.findByText('Slutdatumet kan inte vara före startdatumet.')).toBeInTheDocument();
    const sent = backend.calls('listWorklist').map((r) => new URL(r.url).searchParams.get('result_to'));
    expect(sent).not.toContain('2026-12-01');
  });

  it('archives with the result’s version in If-Match and says when someone changed it first', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: follower,
      listWorklist: page([item({ version: 3 })]),
      archiveWorklistItem: ({ problem }) =>
        problem(412, { type: '/problems/stale-version', title: 'Somebody else changed this first' }),
    });
    renderApp('/pro/arbetslista');

    await userEvent.click(await screen.findByRole('button', { name: 'Arkivera svaret för Vera Testsson' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Någon annan har ändrat uppgifterna');
    const [archive] = backend.calls('archiveWorklistItem');
    expect(new URL(archive!.url).pathname).toBe('/api/staff/worklist/items/line-1/archive');
    expect(archive!.headers.get('If-Match')).toBe('"3"');
  });

  it('shows the archived results in their own tab and restores one', async () => {
    const archived = item({
      archived: true,
      version: 2,
      archive: { archived_at: '2026-12-03T10:00:00Z', archived_by_hsa_id: 'SE2321000016-1002', archived_by_name: 'Mikael Sandberg' },
    });
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: follower,
      listWorklist: ({ query, reply }) => reply(200, query.get('archived') === 'true' ? page([archived]) : page([])),
      unarchiveWorklistItem: { ...archived, archived: false, archive: null, version: 3 },
    });
    renderApp('/pro/arbetslista/arkiverade');

    const table = await screen.findByRole('table', { name: /Arkiverade svar/ });
    expect(table).toHaveTextContent('Arkiverat av Mikael Sandberg, 2026-12-03 11:00');
    await userEvent.click(screen.getByRole('button', { name: 'Återställ svaret för Vera Testsson till aktiva' }));

    expect(await screen.findByText('Svaret för Vera Testsson är återställt till aktiva.')).toBeInTheDocument();
    expect(backend.calls('unarchiveWorklistItem')[0]!.headers.get('If-Match')).toBe('"2"');
  });

  it('lists and adds comments in a dialog with no axe violations', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: follower,
      listWorklist: page([read]),
      listWorklistComments: { item: read, comments: [read.comments.latest!] },
      addWorklistComment: ({ reply }) =>
        reply(201, {
          id: 'comment-2',
          author_hsa_id: 'SE2321000016-9999',
          author_name: 'Sara Svensson',
          created_at: '2026-12-03T09:00:00Z',
          text: 'Ringt patienten.',
        }),
    });
    renderApp('/pro/arbetslista');

    const opener = await screen.findByRole('button', { name: 'Kommentarer (1) för Anna Andersson' });
    await userEvent.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Kommentarer – Anna Andersson' });
    expect(await within(dialog).findByText('Patienten kallad till mottagningen.')).toBeInTheDocument();
    expect(dialog).toHaveTextContent('Mikael Sandberg (SE2321000016-1002), 2026-12-02 11:00');
    expect(await violations()).toEqual([]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Spara kommentar' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Skriv en kommentar.');
    await userEvent.type(within(dialog).getByLabelText(/Ny kommentar/), 'Ringt patienten.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Spara kommentar' }));

    expect(await within(dialog).findByText('Kommentaren är sparad.')).toBeInTheDocument();
    expect(await backend.calls('addWorklistComment')[0]!.json()).toEqual({ text: 'Ringt patienten.' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stäng' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  }, 20_000);

  it('polls the change token with If-None-Match and reads the list again when it moves', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let token = 'token-1';
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: follower,
      listWorklist: ({ reply }) => reply(200, page(token === 'token-1' ? [item()] : [item(), read], { change_token: token })),
      getWorklistChanges: (({ request, reply }: { request: Request; reply: (s: 200, b: { change_token: string }) => Response }) =>
        request.headers.get('If-None-Match') === `"${token}"`
          ? new Response(null, { status: 304 })
          : reply(200, { change_token: token })) as never,
    });
    renderApp('/pro/arbetslista');
    await screen.findByRole('table');
    await waitFor(() => expect(backend.calls('getWorklistChanges')).toHaveLength(1));
    expect(backend.calls('getWorklistChanges')[0]!.headers.get('If-None-Match')).toBe('"token-1"');
    expect(backend.calls('listWorklist')).toHaveLength(1);

    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS));
    await waitFor(() => expect(backend.calls('getWorklistChanges')).toHaveLength(2));
    expect(backend.calls('listWorklist')).toHaveLength(1);

    token = 'token-2';
    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS));

    expect(await screen.findByText('Anna Andersson')).toBeInTheDocument();
    expect(screen.getByText('Arbetslistan har uppdaterats med nya ändringar.')).toBeInTheDocument();
    expect(backend.calls('listWorklist')).toHaveLength(2);
  });

  it('pages on when the server stopped counting', async () => {
    const full = Array.from({ length: 25 }, (_, n) => item({ id: `line-${n}`, order_id: `order-${n}` }));
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: follower,
      listWorklist: page(full, { total: 10_000, total_capped: true }),
    });
    renderApp('/pro/arbetslista');

    expect(await screen.findByText('Fler än 10000 svar')).toBeInTheDocument();
    const pages = screen.getByRole('navigation', { name: 'Sidor' });
    expect(pages).toHaveTextContent('Sida 1');
    await userEvent.click(within(pages).getByRole('button', { name: 'Nästa sida' }));

    await waitFor(() => expect(backend.calls('listWorklist')).toHaveLength(2));
    expect(new URL(backend.calls('listWorklist')[1]!.url).searchParams.get('page')).toBe('2');
  });

  it('says so when the unit has no worklist configured', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: follower,
      listWorklist: page([], { care_unit: { hsa_id: UNIT, name: 'Vårdcentralen', insights: [] } }),
    });
    renderApp('/pro/arbetslista');

    expect(await screen.findByText(/Vårdenheten har ingen arbetslista/)).toBeInTheDocument();
  });
});
