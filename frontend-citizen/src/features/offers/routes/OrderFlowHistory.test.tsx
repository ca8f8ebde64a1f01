// Item 14: each step of the order flow has its own URL; Back, reload and a new login after the
// session ended keep the order (a draft in sessionStorage with a stable Idempotency-Key); the
// confirmation replaces the summary in the history; an identical ongoing order is warned about.
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { OrderSummary } from '../api/offers';
import { pageNavigation } from '@shared/lib/navigation';
import { violations } from '@shared/test/axe';
import { citizenProfile, citizenSession, installFakeBackend } from '../../../test/fakeBackend';
import type { FakeRoutes } from '../../../test/fakeBackend';
import { homeKitOffer, ORDER_ID, placedOrder } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

const OFFER_URL = '/Offer/Details?offerCatalogID=1001';

function routes(extra: FakeRoutes = {}): FakeRoutes {
  return {
    getSession: citizenSession,
    getCitizenProfile: citizenProfile,
    getCitizenOffer: homeKitOffer,
    listCitizenOrders: { items: [], next_cursor: null },
    getCitizenOrder: placedOrder,
    ...extra,
  };
}

function currentUrl(router: ReturnType<typeof renderApp>['router']): string {
  return `${router.state.location.pathname}${router.state.location.search}`;
}

async function fillDetails() {
  await screen.findByRole('heading', { level: 2, name: 'Fyll i uppgifter' });
  await userEvent.type(screen.getByLabelText('Mobilnummer'), '070-123 45 67');
  await userEvent.click(screen.getByRole('radio', { name: 'Nej' }));
  await userEvent.click(screen.getByRole('button', { name: 'Nästa' }));
  await screen.findByRole('heading', { level: 2, name: 'Kontrollera och slutför beställningen' });
}

const ongoing: OrderSummary = {
  order_id: ORDER_ID,
  rid: 'E672-XNH3-3J',
  offer_name: homeKitOffer.name,
  sampling_method: 'home_kit',
  status: 'ordered',
  created_at: '2026-11-20T09:00:00Z',
  expires_at: null,
  booking_starts_at: null,
  sampling_unit_name: null,
  results: 0,
  unread_results: 0,
};

describe('the order flow keeps the order', () => {
  it('gives each step its own URL and Back returns to the previous step with what was typed', async () => {
    installFakeBackend(routes());
    const { router } = renderApp(OFFER_URL);
    await userEvent.click(await screen.findByRole('button', { name: 'Nästa' }));
    expect(currentUrl(router)).toBe(`${OFFER_URL}&steg=uppgifter`);
    await fillDetails();
    expect(currentUrl(router)).toBe(`${OFFER_URL}&steg=kontrollera`);
    expect(screen.getByText('Steg 3 av 3')).toBeInTheDocument();

    await act(() => router.navigate(-1));
    expect(await screen.findByRole('heading', { level: 2, name: 'Fyll i uppgifter' })).toBeInTheDocument();
    expect(currentUrl(router)).toBe(`${OFFER_URL}&steg=uppgifter`);
    expect(screen.getByLabelText('Mobilnummer')).toHaveValue('070-123 45 67');

    await act(() => router.navigate(-1));
    expect(await screen.findByRole('heading', { level: 2, name: 'Instruktion' })).toBeInTheDocument();
    expect(currentUrl(router)).toBe(OFFER_URL);
  });

  it('keeps the draft across a reload, in sessionStorage and without the personnummer', async () => {
    installFakeBackend(routes());
    const first = renderApp(OFFER_URL);
    await userEvent.click(await screen.findByRole('button', { name: 'Nästa' }));
    await fillDetails();
    const url = currentUrl(first.router);
    first.unmount();

    const stored = window.sessionStorage.getItem('pep.orderDraft.1001') ?? '';
    expect(JSON.parse(stored).values.phone).toBe('070-123 45 67');
    expect(stored).not.toContain('19900101');
    expect(stored).not.toContain('9876');
    expect(document.cookie).toBe('');

    // A reload: the same URL in a new app.
    renderApp(url);
    expect(await screen.findByRole('heading', { level: 2, name: 'Kontrollera och slutför beställningen' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Vi har sparat det du fyllde i tidigare. Kontrollera uppgifterna och fortsätt.',
    );
    expect(screen.getByText(/070-123 45 67/)).toBeInTheDocument();
    expect(await violations()).toEqual([]);
  });

  it('a step URL without a draft starts from the instructions (no step is skipped)', async () => {
    installFakeBackend(routes());
    const { router } = renderApp(`${OFFER_URL}&steg=kontrollera`);
    expect(await screen.findByRole('heading', { level: 2, name: 'Instruktion' })).toBeInTheDocument();
    await waitFor(() => expect(currentUrl(router)).toBe(OFFER_URL));
    expect(screen.queryByRole('button', { name: 'Slutför beställningen' })).not.toBeInTheDocument();
  });

  it('asks to log in on the same step when the session ended at Slutför, and sends the same order after the new login', async () => {
    const backend = installFakeBackend(
      routes({
        placeOrder: ({ problem }) => problem(401, { type: '/problems/not-authenticated', title: 'Not logged in' }),
      }),
    );
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    const first = renderApp(OFFER_URL);
    await userEvent.click(await screen.findByRole('button', { name: 'Nästa' }));
    await fillDetails();
    await userEvent.click(screen.getByRole('button', { name: 'Slutför beställningen' }));

    // Still on the summary's URL, asked to log in; the login comes back to this step.
    expect(await screen.findByRole('heading', { level: 1, name: 'Logga in' })).toBeInTheDocument();
    expect(screen.getByText('Din session har avslutats. Logga in igen för att fortsätta.')).toBeInTheDocument();
    expect(currentUrl(first.router)).toBe(`${OFFER_URL}&steg=kontrollera`);
    await userEvent.click(screen.getByRole('button', { name: 'Logga in med BankID' }));
    expect(assign).toHaveBeenCalledWith(
      `/auth/citizen/login?return_to=${encodeURIComponent(`${OFFER_URL}&steg=kontrollera`)}`,
    );
    const firstKey = backend.calls('placeOrder')[0]?.headers.get('Idempotency-Key');
    expect(firstKey).toMatch(/^[0-9a-f-]{36}$/);
    first.unmount();
    assign.mockRestore();

    // Back from the login: the same step with the same order, sent with the same key.
    backend.on('placeOrder', ({ reply }) => reply(201, placedOrder));
    const second = renderApp(`${OFFER_URL}&steg=kontrollera`);
    await userEvent.click(await screen.findByRole('button', { name: 'Slutför beställningen' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Beställningen är klar' })).toBeInTheDocument();
    const calls = backend.calls('placeOrder');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.headers.get('Idempotency-Key')).toBe(firstKey);
    expect(await calls[1]?.json()).toEqual(await calls[0]?.clone().json());
    expect(currentUrl(second.router)).toBe(`/bestall/klar/${ORDER_ID}`);
  });

  it('replaces the summary with the confirmation: Back does not reopen an order that can be sent again', async () => {
    const backend = installFakeBackend(
      routes({
        placeOrder: ({ reply }) => {
          // From now on the order is among the ongoing ones.
          backend.on('listCitizenOrders', { items: [ongoing], next_cursor: null });
          return reply(201, placedOrder);
        },
      }),
    );
    const { router } = renderApp(OFFER_URL);
    await userEvent.click(await screen.findByRole('button', { name: 'Nästa' }));
    await fillDetails();
    await userEvent.click(screen.getByRole('button', { name: 'Slutför beställningen' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Beställningen är klar' })).toBeInTheDocument();
    expect(window.sessionStorage.getItem('pep.orderDraft.1001')).toBeNull();

    await act(() => router.navigate(-1));
    // The history entry before the confirmation is the details step; with the draft gone the
    // flow starts over from the instructions, empty.
    expect(await screen.findByRole('heading', { level: 2, name: 'Instruktion' })).toBeInTheDocument();
    await waitFor(() => expect(currentUrl(router)).toBe(OFFER_URL));
    expect(screen.queryByRole('button', { name: 'Slutför beställningen' })).not.toBeInTheDocument();

    // Going through it again is a new order of an offer now ongoing: it needs the explicit
    // confirmation, and is not sent without it.
    expect(
      await screen.findByText(
        'Du har redan en pågående beställning av Klamydia- och gonorrétest hemma, beställd 20 november 2026.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Nästa' }));
    await fillDetails();
    await userEvent.click(screen.getByRole('button', { name: 'Slutför beställningen' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Bekräfta att du vill göra en ny beställning, eller avbryt.');
    expect(backend.calls('placeOrder')).toHaveLength(1);
  });

  it('warns about an identical ongoing order and sends a second one only when the citizen confirms it', async () => {
    const backend = installFakeBackend(
      routes({ listCitizenOrders: { items: [ongoing], next_cursor: null }, placeOrder: ({ reply }) => reply(201, placedOrder) }),
    );
    renderApp(OFFER_URL);
    const warning =
      'Du har redan en pågående beställning av Klamydia- och gonorrétest hemma, beställd 20 november 2026.';
    expect(await screen.findByText(warning)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Visa den pågående beställningen' })).toHaveAttribute(
      'href',
      `/bestallningar/${ORDER_ID}`,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Nästa' }));
    await fillDetails();
    expect(screen.getByText(warning)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Slutför beställningen' }));
    const summary = await screen.findByRole('alert');
    expect(summary).toHaveTextContent('Bekräfta att du vill göra en ny beställning, eller avbryt.');
    expect(screen.getByRole('checkbox', { name: 'Jag vill göra en ny beställning ändå' })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(backend.calls('placeOrder')).toHaveLength(0);
    expect(await violations()).toEqual([]);

    await userEvent.click(screen.getByRole('checkbox', { name: 'Jag vill göra en ny beställning ändå' }));
    await userEvent.click(screen.getByRole('button', { name: 'Slutför beställningen' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Beställningen är klar' })).toBeInTheDocument();
    expect(backend.calls('placeOrder')).toHaveLength(1);
  });
});
