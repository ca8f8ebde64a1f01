import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ContactDetailsOut } from '@shared/client/types.gen';
import { citizenProfile, citizenSession, installFakeBackend, validationProblem } from '../../../test/fakeBackend';
import { problemBody } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

const loggedIn = { getSession: citizenSession, getCitizenProfile: citizenProfile };
const none: ContactDetailsOut = { email: null, mobile: null, version: 0 };

async function fill(email: string, mobile: string) {
  const emailField = await screen.findByLabelText(/^E-postadress/);
  const mobileField = screen.getByLabelText(/^Mobilnummer/);
  await userEvent.clear(emailField);
  if (email) await userEvent.type(emailField, email);
  await userEvent.clear(mobileField);
  if (mobile) await userEvent.type(mobileField, mobile);
  await userEvent.click(screen.getByRole('button', { name: 'Spara' }));
}

describe('SettingsPage', () => {
  it('saves the e-mail address and mobile number with the version shown', async () => {
    let saved = none;
    const backend = installFakeBackend({
      ...loggedIn,
      getContactDetails: ({ reply }) => reply(200, saved),
      changeContactDetails: async ({ reply, body }) => {
        const sent = await body();
        saved = { email: sent.email ?? null, mobile: '+46701234567', version: saved.version + 1 };
        return reply(200, saved);
      },
    });
    renderApp('/installningar');

    expect(await screen.findByRole('heading', { level: 1, name: 'Inställningar' })).toBeInTheDocument();
    await fill('anna@example.se', '070-123 45 67');

    expect(await screen.findByText('Dina inställningar är sparade.')).toBeInTheDocument();
    const [call] = backend.calls('changeContactDetails');
    expect(call!.headers.get('If-Match')).toBe('"0"');
    expect(call!.headers.get('X-CSRF-Token')).toBe('csrf-123');
    expect(await call!.clone().json()).toEqual({ email: 'anna@example.se', mobile: '070-123 45 67' });
    // The form shows what is saved now (the number as the service keeps it).
    expect(await screen.findByDisplayValue('+46701234567')).toBeInTheDocument();
    await fill('', '+46701234567');
    await screen.findByText('Dina inställningar är sparade.');
    const [, second] = backend.calls('changeContactDetails');
    expect(second!.headers.get('If-Match')).toBe('"1"');
    expect(await second!.clone().json()).toEqual({ email: null, mobile: '+46701234567' });
  });

  it('shows the values already saved', async () => {
    installFakeBackend({
      ...loggedIn,
      getContactDetails: { email: 'anna@example.se', mobile: '+46701234567', version: 3 },
    });
    renderApp('/installningar');

    expect(await screen.findByLabelText(/^E-postadress/)).toHaveValue('anna@example.se');
    expect(screen.getByLabelText(/^Mobilnummer/)).toHaveValue('+46701234567');
  });

  it('shows the service’s refusal of an e-mail address and a mobile number at their fields', async () => {
    installFakeBackend({
      ...loggedIn,
      getContactDetails: none,
      changeContactDetails: ({ problem }) =>
        problem(
          422,
          validationProblem([
            { field: 'email', message: 'is not an e-mail address', code: 'invalid_email' },
            { field: 'mobile', message: 'is not a Swedish mobile number', code: 'invalid_mobile' },
          ]),
        ),
    });
    renderApp('/installningar');
    await fill('anna@example.se', '070-123 45 67');

    const summary = await screen.findByRole('alert');
    expect(summary).toHaveTextContent('Skriv e-postadressen i formatet namn@exempel.se.');
    const email = screen.getByLabelText(/^E-postadress/);
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription(/Skriv e-postadressen i formatet namn@exempel.se./);
    expect(screen.getByLabelText(/^Mobilnummer/)).toHaveAccessibleDescription(
      /Skriv ett svenskt mobilnummer, till exempel 070-123 45 67./,
    );
    expect(screen.queryByText('Dina inställningar är sparade.')).not.toBeInTheDocument();
  });

  it('catches an obvious mistake without asking the service', async () => {
    const backend = installFakeBackend({ ...loggedIn, getContactDetails: none });
    renderApp('/installningar');
    await fill('anna.example.se', '08-123 456 78');

    expect(await screen.findByRole('alert')).toHaveTextContent('Skriv e-postadressen i formatet namn@exempel.se.');
    expect(screen.getByLabelText(/^Mobilnummer/)).toHaveAttribute('aria-invalid', 'true');
    expect(backend.calls('changeContactDetails')).toHaveLength(0);
  });

  it('shows what another window saved meanwhile instead of overwriting it', async () => {
    let current: ContactDetailsOut = none;
    installFakeBackend({
      ...loggedIn,
      getContactDetails: ({ reply }) => reply(200, current),
      changeContactDetails: ({ problem }) => {
        current = { email: 'annan@example.se', mobile: null, version: 1 };
        return problem(412, problemBody(412, 'stale-version'));
      },
    });
    renderApp('/installningar');
    await fill('anna@example.se', '');

    expect(await screen.findByText(/ändrats i ett annat fönster/)).toBeInTheDocument();
    expect(await screen.findByDisplayValue('annan@example.se')).toBeInTheDocument();
  });

  it('is in English with the English locale', async () => {
    installFakeBackend({ ...loggedIn, getContactDetails: none });
    renderApp('/installningar', 'en');

    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    expect(await screen.findByLabelText(/^E-mail address/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Mobile number/)).toBeInTheDocument();
  });
});
