import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { pageNavigation } from '../../../lib/navigation';
import { citizenProfile, citizenSession, installFakeBackend, loggedOutSession } from '../../../test/fakeBackend';
import { bookingOffer, homeKitOffer, placedOrder, problemBody, slot } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

const loggedIn = {
  getSession: citizenSession,
  getCitizenProfile: citizenProfile,
};

async function fillHomeKitDetails() {
  await userEvent.click(await screen.findByRole('button', { name: 'Nästa' }));
  await userEvent.type(screen.getByLabelText('Mobilnummer', { exact: false }), '070-123 45 67');
  const question = screen.getByRole('group', { name: 'Har du symtom?' });
  await userEvent.click(within(question).getByRole('radio', { name: 'Nej' }));
  await userEvent.click(screen.getByRole('button', { name: 'Nästa' }));
  await screen.findByRole('heading', { name: 'Kontrollera och slutför beställningen' });
}

describe('OfferDetailsPage', () => {
  it('offers login that returns to the full deep link', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    renderApp('/Offer/Details?offerCatalogID=abc-123');

    await userEvent.click(await screen.findByRole('button', { name: 'Logga in med BankID' }));
    expect(assign).toHaveBeenCalledWith(
      `/auth/citizen/login?return_to=${encodeURIComponent('/Offer/Details?offerCatalogID=abc-123')}`,
    );
  });

  it('shows the instructions, then the form with the registered address prefilled', async () => {
    installFakeBackend({ ...loggedIn, getCitizenOffer: homeKitOffer });
    renderApp('/Offer/Details?offerCatalogID=1001');

    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent(homeKitOffer.name);
    expect(screen.getByText('Du får ett provtagningskit hem med posten.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Nästa' }));

    expect(screen.getByRole('heading', { level: 2, name: 'Fyll i uppgifter' })).toHaveFocus();
    expect(screen.getByLabelText('Gatuadress')).toHaveValue('Storgatan 1');
    expect(screen.getByLabelText('Postnummer')).toHaveValue('111 22');
    expect(screen.getByText('Mottagare: Anna Andersson')).toBeInTheDocument();
  });

  it('says clearly when the offer is not available to the citizen', async () => {
    installFakeBackend({
      ...loggedIn,
      getCitizenOffer: ({ problem }) => problem(403, problemBody(403, 'offer-not-available')),
    });
    renderApp('/Offer/Details?offerCatalogID=1003');

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Erbjudandet är inte tillgängligt för dig' }),
    ).toBeInTheDocument();
  });

  it('checks the form on the client and links the error summary to the fields', async () => {
    installFakeBackend({ ...loggedIn, getCitizenOffer: homeKitOffer });
    renderApp('/Offer/Details?offerCatalogID=1001');
    await userEvent.click(await screen.findByRole('button', { name: 'Nästa' }));
    await userEvent.clear(screen.getByLabelText('Postnummer'));
    await userEvent.click(screen.getByRole('button', { name: 'Nästa' }));

    const summary = screen.getByRole('alert');
    expect(summary).toHaveFocus();
    expect(within(summary).getByRole('link', { name: 'Ange mobilnummer eller e-postadress.' })).toBeInTheDocument();
    await userEvent.click(within(summary).getByRole('link', { name: /Ange postnumret/ }));
    expect(screen.getByLabelText('Postnummer')).toHaveFocus();
    expect(screen.getByLabelText('Postnummer')).toHaveAttribute('aria-invalid', 'true');
  });

  it("shows the server's 422 field errors next to the right fields", async () => {
    const backend = installFakeBackend({
      ...loggedIn,
      getCitizenOffer: homeKitOffer,
      placeOrder: ({ problem }) =>
        problem(422, problemBody(422, 'validation', {
            errors: [
              { field: 'delivery_address.street', message: 'must not contain < or >', code: 'markup' },
              {
                field: 'contact.phone',
                message: "String should match pattern '^\\+?[0-9 ()-]{6,20}$'",
                code: 'string_pattern_mismatch',
              },
              { field: 'answers.symptoms', message: 'answer yes or no', code: 'yes_no' },
            ],
          })),
    });
    renderApp('/Offer/Details?offerCatalogID=1001');
    await fillHomeKitDetails();
    await userEvent.click(screen.getByRole('button', { name: 'Slutför beställningen' }));

    // Back on the form, with the summary focused and each message tied to its field.
    expect(await screen.findByRole('heading', { name: 'Fyll i uppgifter' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveFocus();
    const street = screen.getByLabelText('Gatuadress');
    expect(street).toHaveAttribute('aria-invalid', 'true');
    expect(street).toHaveAccessibleDescription(/Tecknen < och > kan inte användas/);
    const phone = screen.getByLabelText('Mobilnummer');
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(phone).toHaveAccessibleDescription(/Ange mobilnumret med siffror/);
    const question = screen.getByRole('group', { name: 'Har du symtom?' });
    expect(question).toHaveAccessibleDescription(/Svara ja eller nej på frågan ”Har du symtom\?”/);
    expect(screen.getByLabelText('Postnummer')).not.toHaveAttribute('aria-invalid');
    expect(backend.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('reuses the Idempotency-Key when retrying after a network error', async () => {
    let calls = 0;
    const backend = installFakeBackend({
      ...loggedIn,
      getCitizenOffer: homeKitOffer,
      placeOrder: ({ reply }) => {
        calls += 1;
        if (calls === 1) throw new TypeError('Failed to fetch');
        return reply(201, placedOrder);
      },
      [`GET /api/citizen/orders/${placedOrder.order_id}`]: placedOrder,
    });
    renderApp('/Offer/Details?offerCatalogID=1001');
    await fillHomeKitDetails();

    await userEvent.click(screen.getByRole('button', { name: 'Slutför beställningen' }));
    expect(await screen.findByText(/anslutningen bröts/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Slutför beställningen' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Beställningen är klar' })).toBeInTheDocument();
    expect(screen.getByText('E672-XNH3-3J')).toBeInTheDocument();
    expect(screen.getByText('Provtagningskitet skickas till:')).toBeInTheDocument();
    const posts = backend.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    const [first, second] = posts.map((r) => r.headers.get('Idempotency-Key'));
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
    expect(posts[0]?.headers.get('X-CSRF-Token')).toBe('csrf-123');
    const body = (await posts[1]?.clone().json()) as Record<string, unknown>;
    expect(body).toEqual({
      catalog_id: '1001',
      contact: { phone: '070-123 45 67', email: null },
      delivery_address: { care_of: null, street: 'Storgatan 1', postal_code: '111 22', city: 'Stockholm' },
      answers: { symptoms: false },
    });
  });

  it('books a time and, when it was taken meanwhile, asks for another one', async () => {
    let calls = 0;
    const backend = installFakeBackend({
      ...loggedIn,
      getCitizenOffer: bookingOffer,
      listFreeSlots: [
        slot('aaaaaaaa-0000-4000-8000-000000000001', '2026-12-01T07:00:00Z'),
        slot('aaaaaaaa-0000-4000-8000-000000000002', '2026-12-01T07:15:00Z'),
      ],
      placeOrder: ({ problem }) => {
        calls += 1;
        return problem(409, problemBody(409, 'slot-not-available'));
      },
    });
    renderApp('/Offer/Details?offerCatalogID=1004');
    await userEvent.click(await screen.findByRole('button', { name: 'Nästa' }));
    await userEvent.type(screen.getByLabelText('E-postadress'), 'anna@example.se');
    await userEvent.click(screen.getByRole('button', { name: 'Nästa' }));
    await userEvent.click(screen.getByRole('radio', { name: 'Provtagningen Solna' }));
    await userEvent.click(await screen.findByRole('radio', { name: '08:00' }));
    await userEvent.click(screen.getByRole('button', { name: 'Nästa' }));
    expect(screen.getByText(/Provtagningen Solna, Solnavägen 1/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Slutför beställningen' }));

    expect(await screen.findByRole('heading', { name: 'Välj provtagningsplats och tid' })).toBeInTheDocument();
    expect(screen.getAllByText('Tiden du valde hann bokas av någon annan. Välj en annan tid.')).not.toHaveLength(0);
    expect(screen.getByRole('radio', { name: '08:00' })).not.toBeChecked();
    const post = backend.requests.find((r) => r.method === 'POST');
    const body = (await post?.clone().json()) as { booking: unknown };
    expect(body.booking).toEqual({
      sampling_unit_id: '11111111-1111-4111-8111-111111111111',
      slot_id: 'aaaaaaaa-0000-4000-8000-000000000001',
    });
    expect(calls).toBe(1);
  });
});
