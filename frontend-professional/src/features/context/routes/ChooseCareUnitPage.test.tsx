import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { violations } from '@shared/test/axe';
import { describe, expect, it } from 'vitest';
import { installFakeBackend, staffMeAtUnit2, staffMeWithoutContext, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';

describe('ChooseCareUnitPage', () => {
  it('lists the assignments and PUTs the chosen one, then shows the module menu', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithoutContext,
      selectStaffContext: ({ reply }) => reply(200, staffMeAtUnit2),
    });
    const { router } = renderApp('/pro/');

    // No assignment selected yet: the start page sends us to the care unit choice.
    expect(await screen.findByRole('heading', { level: 1, name: 'Välj vårdenhet' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/pro/valj-vardenhet');
    const group = screen.getByRole('group', { name: 'Medarbetaruppdrag' });
    const radios = within(group).getAllByRole('radio');
    expect(radios).toHaveLength(2);
    expect(within(group).getByText('Vårdcentralen Kungsholmen')).toBeInTheDocument();
    expect(within(group).getAllByText('Vårdgivare: Region Stockholm')).toHaveLength(2);
    expect(within(group).getAllByText('Syfte: Vård och behandling')).toHaveLength(2);

    await userEvent.click(screen.getByRole('radio', { name: /STD-mottagningen Södersjukhuset/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Fortsätt' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Välj modul' })).toBeInTheDocument();
    const put = backend.requests.find((r) => r.method === 'PUT');
    expect(put).toBeDefined();
    expect(new URL(put!.url).pathname).toBe('/api/staff/context');
    expect(await put!.clone().json()).toEqual({ assignment_id: 'uppdrag-2' });
    expect(put!.headers.get('X-CSRF-Token')).toBe('csrf-123');

    // Only the permitted menu modules, in menu order; "export" is not a menu item.
    const cards = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(cards).toEqual(['Provtagning', 'Arbetslista']);
    expect(screen.getByRole('link', { name: 'Byt vårdenhet' })).toHaveAttribute('href', '/pro/valj-vardenhet');
  });

  it('asks for a choice before calling the backend', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithoutContext,
    });
    renderApp('/pro/valj-vardenhet');

    await userEvent.click(await screen.findByRole('button', { name: 'Fortsätt' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Välj en vårdenhet för att fortsätta.');
    expect(backend.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('shows the backend rejecting an assignment', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithoutContext,
      selectStaffContext: ({ problem }) => problem(422, { type: 'about:blank', title: 'Unknown assignment' }),
    });
    renderApp('/pro/valj-vardenhet');

    await userEvent.click(await screen.findByRole('radio', { name: /Vårdcentralen Kungsholmen/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Fortsätt' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Vårdenheten kunde inte väljas.');
  });

  it('explains that a medarbetaruppdrag is required when there is none', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: { ...staffMeWithoutContext, assignments: [] },
    });
    renderApp('/pro/');

    expect(await screen.findByRole('heading', { name: 'Medarbetaruppdrag saknas' })).toBeInTheDocument();
    expect(screen.getByText(/krävs minst ett medarbetaruppdrag/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Fortsätt' })).not.toBeInTheDocument();
  });

  it('preselects a single assignment, still to be confirmed with Fortsätt (issue 11 item 17)', async () => {
    const only = staffMeWithoutContext.assignments[0]!;
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: { ...staffMeWithoutContext, assignments: [only] },
      selectStaffContext: { ...staffMeAtUnit2, assignments: [only], selected_assignment_id: only.assignment_id },
    });
    renderApp('/pro/valj-vardenhet');
    const radio = await screen.findByRole('radio', { name: /Vårdcentralen Kungsholmen/ });
    expect(radio).toBeChecked();
    expect(backend.calls('selectStaffContext')).toHaveLength(0);
    expect(await violations()).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Fortsätt' }));
    await screen.findByRole('heading', { level: 1, name: 'Välj modul' });
    expect(await backend.calls('selectStaffContext')[0]!.clone().json()).toEqual({ assignment_id: 'uppdrag-1' });
  });

  it('preselects nothing when there are several assignments', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeWithoutContext });
    renderApp('/pro/valj-vardenhet');
    const radios = await screen.findAllByRole('radio');
    expect(radios.map((r) => (r as HTMLInputElement).checked)).toEqual([false, false]);
  });
});
