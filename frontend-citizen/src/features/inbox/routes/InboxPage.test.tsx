import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { InboxPageOut } from '@shared/client/types.gen';
import { citizenProfile, citizenSession, installFakeBackend } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { inboxMessage, OTHER_ORDER, RESULT_ORDER, twoMessages } from '../fixtures';

const loggedIn = { getSession: citizenSession, getCitizenProfile: citizenProfile };

describe('InboxPage', () => {
  it('lists the messages newest first, the unread one marked, each leading to its order', async () => {
    installFakeBackend({ ...loggedIn, listInboxMessages: twoMessages });
    renderApp('/inkorg');

    expect(await screen.findByRole('heading', { level: 1, name: 'Inkorg' })).toBeInTheDocument();
    expect(await screen.findByText('Du har 1 oläst meddelande.')).toBeInTheDocument();
    const items = within(screen.getByRole('list', { name: 'Meddelanden' })).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    const [newest, older] = items as [HTMLElement, HTMLElement];
    expect(within(newest).getByRole('heading', { level: 2 })).toHaveTextContent('Nytt provsvar Oläst');
    expect(
      within(newest).getByText(
        'Det finns ett nytt provsvar för din beställning Klamydiatest. Öppna beställningen för att läsa svaret.',
      ),
    ).toBeInTheDocument();
    expect(within(newest).getByRole('link', { name: 'Öppna beställningen Klamydiatest' })).toHaveAttribute(
      'href',
      `/bestallningar/${RESULT_ORDER}`,
    );
    expect(within(older).getByRole('heading', { level: 2 })).toHaveTextContent('Korrigerat provsvar');
    expect(within(older).queryByText('Oläst')).not.toBeInTheDocument();
    expect(within(older).queryByRole('button')).not.toBeInTheDocument();
    expect(within(older).getByRole('link', { name: 'Öppna beställningen HIV- och syfilistest' })).toHaveAttribute(
      'href',
      `/bestallningar/${OTHER_ORDER}`,
    );
  });

  it('marks a message read and shows it read', async () => {
    let page: InboxPageOut = { ...twoMessages };
    const backend = installFakeBackend({
      ...loggedIn,
      listInboxMessages: ({ reply }) => reply(200, page),
      markInboxMessageRead: ({ reply, params }) => {
        page = {
          ...page,
          unread: 0,
          items: page.items.map((m) => (m.id === params.message_id ? { ...m, read: true, read_at: '2026-11-21T10:00:00Z' } : m)),
        };
        return reply(204);
      },
    });
    renderApp('/inkorg');

    await userEvent.click(await screen.findByRole('button', { name: 'Markera som läst Nytt provsvar, Klamydiatest' }));
    expect(await screen.findByText('Du har inga olästa meddelanden.')).toBeInTheDocument();
    expect(screen.queryByText('Oläst')).not.toBeInTheDocument();
    const [call] = backend.calls('markInboxMessageRead');
    expect(new URL(call!.url).pathname).toBe(`/api/citizen/inbox/${twoMessages.items[0]!.id}/read`);
    expect(call!.headers.get('X-CSRF-Token')).toBe('csrf-123');
  });

  it('opening the order marks the message read', async () => {
    const backend = installFakeBackend({
      ...loggedIn,
      listInboxMessages: twoMessages,
      markInboxMessageRead: ({ reply }) => reply(204),
    });
    const { router } = renderApp('/inkorg');

    await userEvent.click(await screen.findByRole('link', { name: 'Öppna beställningen Klamydiatest' }));
    expect(router.state.location.pathname).toBe(`/bestallningar/${RESULT_ORDER}`);
    expect(backend.calls('markInboxMessageRead')).toHaveLength(1);
    expect(new URL(backend.calls('markInboxMessageRead')[0]!.url).pathname).toBe(
      `/api/citizen/inbox/${twoMessages.items[0]!.id}/read`,
    );
  });

  it('opening the order of a message read before marks nothing', async () => {
    const backend = installFakeBackend({ ...loggedIn, listInboxMessages: twoMessages });
    const { router } = renderApp('/inkorg');

    await userEvent.click(await screen.findByRole('link', { name: 'Öppna beställningen HIV- och syfilistest' }));
    expect(router.state.location.pathname).toBe(`/bestallningar/${OTHER_ORDER}`);
    expect(backend.calls('markInboxMessageRead')).toHaveLength(0);
  });

  it('says so when there are no messages, and points to the settings', async () => {
    installFakeBackend({ ...loggedIn, listInboxMessages: { total: 0, unread: 0, page: 1, page_size: 20, items: [] } });
    renderApp('/inkorg');

    expect(await screen.findByText('Du har inga meddelanden.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ange mobilnummer och e-postadress under Inställningar.' })).toHaveAttribute(
      'href',
      '/installningar',
    );
  });

  it('shows twenty at a time and the next ones with Visa fler', async () => {
    const many = Array.from({ length: 21 }, (_, i) =>
      inboxMessage({ id: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`, offer_name: `Test ${i}` }),
    );
    const backend = installFakeBackend({
      ...loggedIn,
      listInboxMessages: ({ reply, query }) => {
        const page = Number(query.get('page'));
        return reply(200, {
          total: 21,
          unread: 21,
          page,
          page_size: 20,
          items: page === 1 ? many.slice(0, 20) : many.slice(20),
        });
      },
    });
    renderApp('/inkorg');

    await screen.findByRole('link', { name: 'Öppna beställningen Test 0' });
    const list = () => within(screen.getByRole('list', { name: 'Meddelanden' })).getAllByRole('listitem');
    expect(list()).toHaveLength(20);
    await userEvent.click(screen.getByRole('button', { name: 'Visa fler' }));
    expect(await screen.findByRole('link', { name: 'Öppna beställningen Test 20' })).toBeInTheDocument();
    expect(list()).toHaveLength(21);
    expect(screen.queryByRole('button', { name: 'Visa fler' })).not.toBeInTheDocument();
    expect(backend.calls('listInboxMessages').map((r) => new URL(r.url).searchParams.get('page'))).toEqual(['1', '2']);
  });

  it('is in English with the English locale', async () => {
    installFakeBackend({ ...loggedIn, listInboxMessages: twoMessages });
    renderApp('/inkorg', 'en');

    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument();
    expect(await screen.findByText('You have 1 unread message.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the order Klamydiatest' })).toBeInTheDocument();
    expect(screen.getByText('Unread')).toBeInTheDocument();
  });
});
