import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { violations } from '@shared/test/axe';
import { describe, expect, it, vi } from 'vitest';
import { pageNavigation } from '../../../lib/navigation';
import { installFakeBackend, loggedOutSession, staffMeAtUnit2, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { staffMeWithModules } from '../../../test/staffFixtures';

describe('professional start', () => {
  it('shows SITHS login when not logged in', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    renderApp('/pro/');

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Egen provhantering – vårdpersonal' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Logga in med SITHS' }));
    expect(assign).toHaveBeenCalledWith('/auth/staff/login?return_to=%2Fpro%2F');
  });

  it('shows the top bar and the module menu for the selected care unit', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeAtUnit2 });
    renderApp('/pro/');

    expect(await screen.findByRole('heading', { level: 1, name: 'Välj modul' })).toBeInTheDocument();
    expect(screen.getByText('Inloggad som Sara Svensson')).toBeInTheDocument();
    expect(screen.getByText('Vårdenhet: STD-mottagningen Södersjukhuset')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Logga ut' })).toBeInTheDocument();
  });

  it('toggles help texts with aria-pressed', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeAtUnit2 });
    renderApp('/pro/');

    const toggle = await screen.findByRole('button', { name: 'Hjälptexter' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
  });

  it('logs out and follows the redirect the backend gives', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeAtUnit2,
      logout: { redirect_to: '/pro/' },
    });
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    renderApp('/pro/');

    await userEvent.click(await screen.findByRole('button', { name: 'Logga ut' }));
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('/pro/'));
    expect(backend.requests.find((r) => r.method === 'POST')?.headers.get('X-CSRF-Token')).toBe('csrf-123');
  });

  it('goes back to the login page with a message when the session has ended', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: ({ problem }) => problem(401, { type: 'about:blank', title: 'Not logged in' }),
    });
    renderApp('/pro/');

    expect(
      await screen.findByText('Din session har avslutats. Logga in igen för att fortsätta.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Logga in med SITHS' })).toBeInTheDocument();
  });

  it('links the modules that are built: assignment, assigned offers and administration', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeWithModules });
    renderApp('/pro/');
    expect(await screen.findByRole('link', { name: 'Tilldela erbjudande' })).toHaveAttribute('href', '/pro/tilldela');
    expect(screen.getByRole('link', { name: 'Tilldelade erbjudanden' })).toHaveAttribute('href', '/pro/tilldelade');
    expect(screen.getByRole('link', { name: 'Administration' })).toHaveAttribute('href', '/pro/admin');
  });

  it('links Provtagning, Etiketter and Ordermottagning (issue 8)', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: {
        ...staffMeAtUnit2,
        modules: ['sampling', 'labels', 'order_receipt', 'export'].map((module) => ({
          module,
          care_unit_hsa_id: 'SE2321000016-2002',
        })),
      },
    });
    renderApp('/pro/');
    expect(await screen.findByRole('link', { name: 'Provtagning' })).toHaveAttribute('href', '/pro/provtagning');
    expect(screen.getByRole('link', { name: 'Etiketter' })).toHaveAttribute('href', '/pro/etiketter');
    expect(screen.getByRole('link', { name: 'Ordermottagning' })).toHaveAttribute('href', '/pro/ordermottagning');
  });
});

describe('the follow-up modules (issue 10)', () => {
  it('links Arbetslista, Behandlingsansvar and Smittspårning', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: {
        ...staffMeAtUnit2,
        modules: ['worklist', 'treatment_responsibility', 'contact_tracing'].map((module) => ({
          module,
          care_unit_hsa_id: 'SE2321000016-2002',
        })),
      },
    });
    renderApp('/pro/');
    expect(await screen.findByRole('link', { name: 'Arbetslista' })).toHaveAttribute('href', '/pro/arbetslista');
    expect(screen.getByRole('link', { name: 'Behandlingsansvar' })).toHaveAttribute('href', '/pro/behandlingsansvar');
    expect(screen.getByRole('link', { name: 'Smittspårning' })).toHaveAttribute('href', '/pro/smittsparning');
    expect(await violations()).toEqual([]);
  });
});
