import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { pageNavigation } from '../../../lib/navigation';
import { citizenProfile, citizenSession, installFakeBackend, loggedOutSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';

describe('StartPage', () => {
  it('shows the login button when not logged in', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    renderApp('/');

    const button = await screen.findByRole('button', { name: 'Logga in med BankID' });
    expect(screen.getByRole('heading', { level: 1, name: 'Egen provhantering' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Logga ut' })).not.toBeInTheDocument();

    await userEvent.click(button);
    expect(assign).toHaveBeenCalledWith('/auth/citizen/login?return_to=%2F');
  });

  it('greets the logged-in person and shows the profile and menu', async () => {
    installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: citizenProfile,
    });
    renderApp('/');

    expect(await screen.findByText('Välkommen, Anna Andersson!')).toBeInTheDocument();
    const profile = screen.getByRole('region', { name: 'Dina uppgifter' });
    expect(within(profile).getByText('19900101-9876')).toBeInTheDocument();
    expect(within(profile).getByText('Region Stockholm')).toBeInTheDocument();
    expect(within(profile).getByText(/Storgatan 1/)).toBeInTheDocument();
    expect(screen.getByText('Inloggad som Anna Andersson')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Logga ut' })).toBeInTheDocument();
    for (const [name, href] of [
      ['Ny beställning', '/bestall'],
      ['Pågående beställningar', '/bestallningar'],
      ['Tidigare beställningar', '/bestallningar/tidigare'],
      ['Registrera provtagningskit', '/kit'],
    ] as const) {
      const heading = screen.getByRole('heading', { level: 3, name });
      expect(within(heading).getByRole('link', { name })).toHaveAttribute('href', href);
    }
    expect(screen.queryByRole('button', { name: 'Logga in med BankID' })).not.toBeInTheDocument();
  });

  it('hides the address of a person with protected identity', async () => {
    installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: { ...citizenProfile, protected_identity: true, address: null },
    });
    renderApp('/');

    expect(await screen.findByText(/skyddade personuppgifter/)).toBeInTheDocument();
    expect(screen.queryByText(/Storgatan/)).not.toBeInTheDocument();
  });

  it('returns to the logged-out start page with a message when an API call answers 401', async () => {
    installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: ({ problem }) => problem(401, { type: 'about:blank', title: 'Not logged in' }),
    });
    renderApp('/');

    expect(
      await screen.findByText('Din session har avslutats. Logga in igen för att fortsätta.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Logga in med BankID' })).toBeInTheDocument();
  });

  it('logs out with the CSRF header and lands on the page that confirms it', async () => {
    const backend = installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: citizenProfile,
      logout: { redirect_to: '/' },
    });
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    renderApp('/');

    await userEvent.click(await screen.findByRole('button', { name: 'Logga ut' }));
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('/utloggad'));
    const post = backend.requests.find((r) => r.method === 'POST');
    expect(post?.headers.get('X-CSRF-Token')).toBe('csrf-123');
  });
});
