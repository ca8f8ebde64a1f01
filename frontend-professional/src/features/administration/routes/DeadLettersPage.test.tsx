// Utkorg – döda meddelanden: operators and central administrators see the outbox's dead letters
// and send one again ("Försök igen"); nobody else is shown the page.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DeadLetterOut, StaffMe } from '@shared/client/types.gen';
import { violations } from '@shared/test/axe';
import { type FakeRoutes, installFakeBackend, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { staffMeCentralAdmin, staffMeWithModules } from '../../../test/staffFixtures';

/** An operator: national administration scope, not a central administrator. */
const staffMeOperator: StaffMe = {
  ...staffMeWithModules,
  administration: { national: true, central: false, region_codes: [], care_unit_hsa_ids: [] },
};

const first: DeadLetterOut = {
  id: '0b6a3c1e-1111-4000-8000-000000000001',
  kind: 'result_to_care_unit',
  attempts: 8,
  last_error: 'ConnectError: connection refused',
  created_at: '2026-05-04T06:30:00Z',
  last_attempt_due: '2026-05-04T09:10:00Z',
};
const second: DeadLetterOut = {
  id: '0b6a3c1e-2222-4000-8000-000000000002',
  kind: 'result_available',
  attempts: 8,
  last_error: null,
  created_at: '2026-05-05T12:00:00Z',
  last_attempt_due: '2026-05-05T14:45:00Z',
};

function operator(me: StaffMe, routes: FakeRoutes = {}) {
  return installFakeBackend({ getSession: staffSession, getStaffMe: me, ...routes });
}

describe('the outbox’s dead letters', () => {
  it('lists them for an operator and sends one again with Försök igen', async () => {
    let items = [first, second];
    const backend = operator(staffMeOperator, {
      listOutboxDeadLetters: ({ reply }) => reply(200, { total: items.length, page: 1, page_size: 50, items }),
      requeueOutboxDeadLetter: ({ params, reply }) => {
        items = items.filter((i) => i.id !== params.event_id);
        return reply(204);
      },
    });
    renderApp('/pro/admin/utkorg');

    const table = await screen.findByRole('table', { name: 'Utkorg – döda meddelanden' });
    expect(screen.getByRole('heading', { level: 1, name: 'Utkorg – döda meddelanden' })).toBeInTheDocument();
    expect(screen.getByText('2 döda meddelanden.')).toBeInTheDocument();
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Händelse',
      'Skapad',
      'Försök',
      'Senaste försök',
      'Senaste fel',
      'Åtgärd',
    ]);
    expect(within(rows[1]!).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      `Provsvar till vårdenhetens system${first.id}`,
      '2026-05-04 08:30',
      '8',
      '2026-05-04 11:10',
      'ConnectError: connection refused',
      'Försök igen',
    ]);
    expect(within(rows[2]!).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      `Provsvar klart – meddelande till invånaren${second.id}`,
      '2026-05-05 14:00',
      '8',
      '2026-05-05 16:45',
      'Inget fel angivet',
      'Försök igen',
    ]);
    expect(within(rows[1]!).getByText('ConnectError: connection refused')).toHaveAttribute('lang', 'en');
    expect(await violations()).toEqual([]);
    expect(backend.calls('listOutboxDeadLetters')[0]!.url).toContain('page=1&page_size=50');

    await userEvent.click(
      screen.getByRole('button', { name: 'Försök igen: Provsvar till vårdenhetens system, skapad 2026-05-04 08:30' }),
    );
    expect(await screen.findByText('Händelsen ligger i kön igen och levereras vid nästa körning.')).toBeInTheDocument();
    const requeues = backend.calls('requeueOutboxDeadLetter');
    expect(requeues).toHaveLength(1);
    expect(new URL(requeues[0]!.url).pathname).toBe(`/api/operator/outbox/dead-letters/${first.id}/requeue`);
    expect(requeues[0]!.method).toBe('POST');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(screen.getByText('1 dött meddelande.')).toBeInTheDocument();
    expect(backend.calls('listOutboxDeadLetters')).toHaveLength(2);
  });

  it('shows a 404 on Försök igen (no such dead event any more)', async () => {
    const backend = operator(staffMeOperator, {
      listOutboxDeadLetters: { total: 1, page: 1, page_size: 50, items: [first] },
      requeueOutboxDeadLetter: ({ problem }) =>
        problem(404, { type: '/problems/outbox-event-not-found', title: 'No such dead event' }),
    });
    renderApp('/pro/admin/utkorg');
    await userEvent.click(await screen.findByRole('button', { name: /^Försök igen/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Det du försökte ändra finns inte längre.');
    expect(backend.calls('requeueOutboxDeadLetter')).toHaveLength(1);
  });

  it('says so when there are none, to a central administrator too', async () => {
    operator(staffMeCentralAdmin, { listOutboxDeadLetters: { total: 0, page: 1, page_size: 50, items: [] } });
    renderApp('/pro/admin/utkorg');
    expect(await screen.findByText('Det finns inga döda meddelanden.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(
      within(screen.getByRole('navigation', { name: 'Administration' })).getByRole('link', { name: 'Utkorg – döda meddelanden' }),
    ).toBeInTheDocument();
  });

  it('is for operators and central administrators only', async () => {
    const backend = operator(staffMeWithModules, { listOutboxDeadLetters: { total: 0, page: 1, page_size: 50, items: [] } });
    renderApp('/pro/admin/utkorg');
    expect(
      await screen.findByText('Sidan är till för driftpersonal (operatörer) och centrala administratörer.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Utkorg – döda meddelanden' })).not.toBeInTheDocument();
    expect(backend.calls('listOutboxDeadLetters')).toHaveLength(0);
  });
});
