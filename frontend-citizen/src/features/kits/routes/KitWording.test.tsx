// Item 16: the kit page speaks plain Swedish: the RID is explained as the sample's ID number,
// and the registered kit is not "Kitet för Opersonligt provtagningskit klamydia".
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OrderDetails } from '@shared/client/types.gen';
import { citizenProfile, citizenSession, installFakeBackend } from '../../../test/fakeBackend';
import { placedOrder } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

const kitOrder: OrderDetails = {
  ...placedOrder,
  offer_name: 'Opersonligt provtagningskit klamydia',
  sampling_method: 'anonymous_kit',
  rid: 'ABCD-EFGH-JK',
};

describe('kit registration wording', () => {
  it('names the RID as the sample ID number and confirms in natural Swedish', async () => {
    installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: citizenProfile,
      registerKit: ({ reply }) => reply(201, kitOrder),
    });
    renderApp('/kit');
    await userEvent.type(await screen.findByLabelText('Kitnummer'), 'ABCD-EFGH-JK12');
    const rid = screen.getByLabelText('Provets ID-nummer (RID)');
    expect(rid).toHaveAccessibleDescription('Står på etiketten på provröret: 10 tecken, till exempel 1234-ABCD-5E.');
    await userEvent.type(rid, 'ABCD-EFGH-JK');
    await userEvent.click(screen.getByRole('button', { name: 'Registrera provtagningskitet' }));

    expect(
      await screen.findByText('Provtagningskitet är nu kopplat till dig. Provets ID-nummer (RID) är ABCD-EFGH-JK.'),
    ).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('Kitet för');
  });
});
