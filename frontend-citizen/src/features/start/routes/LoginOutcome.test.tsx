// Item 12: a login that comes back without a session says what happened and what to do.
// Item 16: logging out ends on a page that confirms it, and nothing typed stays in the tab.
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { pageNavigation } from '@shared/lib/navigation';
import { violations } from '@shared/test/axe';
import { citizenProfile, citizenSession, installFakeBackend, loggedOutSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';

describe('a failed login', () => {
  it.each([
    [
      'ogiltig',
      'Inloggningen kunde inte slutföras. Det händer om inloggningen startades i en annan webbläsare eller flik, eller under en annan adress. Logga in igen härifrån och slutför inloggningen i samma webbläsare.',
    ],
    [
      'okand',
      'Vi hittar inte dina uppgifter i folkbokföringen, och därför kan du inte använda Egen provhantering. Tjänsten är till för dig som är folkbokförd i Sverige. Om du tror att det är fel, kontakta 1177:s support (se Behöver du hjälp? längst ner på sidan).',
    ],
    ['utgangen', 'Inloggningen tog för lång tid och avbröts. Logga in igen.'],
    ['avbruten', 'Inloggningen avbröts. Logga in igen när du vill fortsätta.'],
    ['misslyckades', 'Inloggningen misslyckades. Försök igen om en stund.'],
    [
      'tjanstfel',
      'Vi kunde inte hämta dina uppgifter just nu, så inloggningen kunde inte slutföras. Försök igen om en stund.',
    ],
    ['något-annat', 'Inloggningen kunde inte slutföras. Försök logga in igen.'],
  ])('?inloggning=%s says what happened and offers to log in again', async (reason, text) => {
    installFakeBackend({ getSession: loggedOutSession });
    renderApp(`/?inloggning=${encodeURIComponent(reason)}`);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 })).toHaveTextContent('Du blev inte inloggad');
    expect(within(alert).getByText(text)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Logga in med BankID' })).toBeInTheDocument();
    expect(await violations()).toEqual([]);
  });

  it('says nothing of a failure on the plain start page', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    renderApp('/');
    await screen.findByRole('button', { name: 'Logga in med BankID' });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText('Du blev inte inloggad')).not.toBeInTheDocument();
  });
});

describe('logging out', () => {
  it('ends on a page that confirms it and removes order drafts from the tab', async () => {
    window.sessionStorage.setItem('pep.orderDraft.1001', '{"values":{}}');
    window.sessionStorage.setItem('something.else', 'kept');
    const backend = installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: citizenProfile,
      logout: { redirect_to: '/' },
    });
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    renderApp('/');

    await userEvent.click(await screen.findByRole('button', { name: 'Logga ut' }));
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('/utloggad'));
    expect(backend.calls('logout')).toHaveLength(1);
    expect(window.sessionStorage.getItem('pep.orderDraft.1001')).toBeNull();
    expect(window.sessionStorage.getItem('something.else')).toBe('kept');
    assign.mockRestore();
  });

  it('the logged-out page confirms the logout and offers to log in again', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    renderApp('/utloggad');

    expect(await screen.findByRole('heading', { level: 1, name: 'Du är utloggad' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Du har loggat ut från Egen provhantering.');
    expect(
      screen.getByText('Om du har använt en dator som andra också använder: stäng alla fönster i webbläsaren.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Logga in med BankID' })).toBeInTheDocument();
    expect(document.title).toBe('Du är utloggad – Egen provhantering');
    expect(await violations()).toEqual([]);
  });
});
