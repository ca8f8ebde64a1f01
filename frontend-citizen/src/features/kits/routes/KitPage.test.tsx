import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { citizenProfile, citizenSession, installFakeBackend } from '../../../test/fakeBackend';
import { placedOrder, problemBody } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';
import type { OrderDetails } from '@shared/client/types.gen';

const loggedIn = {
  getSession: citizenSession,
  getCitizenProfile: citizenProfile,
};
const kitOrder: OrderDetails = {
  ...placedOrder,
  offer_name: 'Opersonligt provtagningskit klamydia',
  sampling_method: 'anonymous_kit',
};

async function register(kitNumber = 'ABCD-EFGH-JK12', rid = 'ABCD-EFGH-JK') {
  const kit = screen.getByLabelText('Kitnummer');
  const ridField = screen.getByLabelText('Provets ID-nummer (RID)');
  await userEvent.clear(kit);
  await userEvent.type(kit, kitNumber);
  await userEvent.clear(ridField);
  if (rid) await userEvent.type(ridField, rid);
  await userEvent.click(screen.getByRole('button', { name: 'Registrera provtagningskitet' }));
}

describe('KitPage', () => {
  it('keeps the Idempotency-Key for a retry and uses a new one for the next kit', async () => {
    let calls = 0;
    const backend = installFakeBackend({
      ...loggedIn,
      registerKit: ({ reply }) => {
        calls += 1;
        if (calls === 1) throw new TypeError('Failed to fetch');
        return reply(201, kitOrder);
      },
    });
    renderApp('/kit');
    await screen.findByRole('heading', { level: 1, name: 'Registrera provtagningskit' });

    await register();
    expect(await screen.findByText(/anslutningen bröts/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Registrera provtagningskitet' }));
    expect(await screen.findByRole('heading', { name: 'Provtagningskitet är registrerat' })).toHaveFocus();
    expect(screen.getByRole('link', { name: 'Visa beställningen' })).toHaveAttribute(
      'href',
      `/bestallningar/${placedOrder.order_id}`,
    );

    await userEvent.click(screen.getByRole('button', { name: 'Registrera ett till kit' }));
    await register('ZZZZ-EFGH-JK12', 'ZZZZ-EFGH-JK');
    await screen.findByRole('heading', { name: 'Provtagningskitet är registrerat' });

    const keys = backend.requests.filter((r) => r.method === 'POST').map((r) => r.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(keys[2]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows a typo in the RID next to the RID field', async () => {
    installFakeBackend({
      ...loggedIn,
      registerKit: ({ problem }) =>
        problem(422, problemBody(422, 'validation', {
            errors: [{ field: 'rid', message: 'the check character does not match: check for a typo', code: 'check_character' }],
          })),
    });
    renderApp('/kit');
    await screen.findByLabelText('Provets ID-nummer (RID)');
    await register();

    const rid = await screen.findByLabelText('Provets ID-nummer (RID)');
    await screen.findByRole('alert');
    expect(rid).toHaveAttribute('aria-invalid', 'true');
    expect(rid).toHaveAccessibleDescription(/Provets ID-nummer \(RID\) stämmer inte. Kontrollera att du har skrivit av det rätt./);
    expect(screen.getByLabelText('Kitnummer')).not.toHaveAttribute('aria-invalid');
  });

  it.each([
    [404, 'kit-not-found', 'Vi hittar inget provtagningskit med det kitnumret och ID-numret.'],
    [409, 'kit-already-registered', 'Provtagningskitet är redan registrerat.'],
    [429, 'too-many-attempts', 'Du har gjort för många felaktiga försök.'],
  ])('explains a %s %s problem', async (status, slug, text) => {
    installFakeBackend({
      ...loggedIn,
      registerKit: ({ problem }) => problem(status, problemBody(status, slug)),
    });
    renderApp('/kit');
    await screen.findByLabelText('Kitnummer');
    await register();
    expect(await screen.findByText(new RegExp(text))).toBeInTheDocument();
  });

  it('checks the length of both codes before asking the server', async () => {
    const backend = installFakeBackend(loggedIn);
    renderApp('/kit');
    await screen.findByLabelText('Kitnummer');
    await register('ABC', '');

    expect(screen.getByRole('alert')).toHaveFocus();
    expect(screen.getByLabelText('Kitnummer')).toHaveAccessibleDescription(/Kitnumret ska ha 12 tecken/);
    expect(screen.getByLabelText('Provets ID-nummer (RID)')).toHaveAccessibleDescription(/Ange provets ID-nummer \(RID\)/);
    expect(backend.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
