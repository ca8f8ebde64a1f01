// Help texts (issue 11 item 17): Swedish alone is enough; English is optional, and a field shows
// the Swedish text in English when there is no English one.
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeBackend, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { staffMeCentralAdmin } from '../../../test/staffFixtures';

describe('editing a help text', () => {
  it('saves a text with Swedish only, sending no English text', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeCentralAdmin,
      listHelpTexts: [],
      putHelpText: ({ params, reply }) =>
        reply(200, { key: params.key!, text_sv: 'Antal dagar erbjudandet gäller.', text_en: null, version: 1 }),
    });
    renderApp('/pro/admin/hjalptexter');
    await userEvent.click(await screen.findByRole('button', { name: 'Ändra hjälptext för offer.validity_days' }));
    expect(screen.getByLabelText(/^Text på engelska/)).not.toBeRequired();
    await userEvent.type(screen.getByLabelText(/^Text på svenska/), 'Antal dagar erbjudandet gäller.');
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));

    expect(await screen.findByText('Hjälptexten för offer.validity_days är sparad.')).toBeInTheDocument();
    const [put] = backend.calls('putHelpText');
    expect(new URL(put!.url).pathname).toBe('/api/admin/help-texts/offer.validity_days');
    expect(await put!.clone().json()).toEqual({ text_sv: 'Antal dagar erbjudandet gäller.', text_en: null });
    expect(screen.queryByRole('alert', { name: 'Formuläret innehåller fel' })).not.toBeInTheDocument();
  });
});
