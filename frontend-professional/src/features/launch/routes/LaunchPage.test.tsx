import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { pageNavigation } from '../../../lib/navigation';
import { installFakeBackend, loggedOutSession, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { patientOffers, staffMeWithModules } from '../../../test/staffFixtures';
import { LAUNCH_STORAGE_KEY } from '../launchToken';

const TOKEN = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.launch-token-for-tests';

describe('deep link from the journal system (uthopp)', () => {
  it('removes the fragment at once and sends a logged-out user to SITHS, keeping the token', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    const { router } = renderApp(`/pro/uthopp#launch=${TOKEN}`);

    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('/auth/staff/login?return_to=%2Fpro%2Futhopp'));
    expect(router.state.location.hash).toBe('');
    expect(router.state.location.pathname).toBe('/pro/uthopp');
    expect(window.sessionStorage.getItem(LAUNCH_STORAGE_KEY)).toBe(TOKEN);
    expect(screen.getByRole('status')).toHaveTextContent('inloggning med SITHS');
  });

  it('posts the token once logged in, forgets it and opens Tilldela erbjudande with the patient', async () => {
    window.sessionStorage.setItem(LAUNCH_STORAGE_KEY, TOKEN);
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      launchFromJournal: ({ reply }) =>
        reply(200, { personnummer: '20100330-9877', care_unit_hsa_id: 'SE2321000016-1001', me: staffMeWithModules }),
      findPatientOffers: patientOffers,
    });
    const { router } = renderApp('/pro/uthopp');

    expect(await screen.findByRole('heading', { name: 'Patient: Oscar Nilsson' })).toBeInTheDocument();
    const launches = backend.requests.filter((r) => new URL(r.url).pathname === '/api/staff/launch');
    expect(launches).toHaveLength(1);
    expect(await launches[0]!.clone().json()).toEqual({ token: TOKEN });
    expect(launches[0]!.headers.get('X-CSRF-Token')).toBe('csrf-123');
    expect(window.sessionStorage.getItem(LAUNCH_STORAGE_KEY)).toBeNull();
    // The patient is searched by POST body; the personnummer is never in the URL.
    expect(router.state.location.pathname).toBe('/pro/tilldela');
    expect(router.state.location.search).toBe('');
    const search = backend.requests.find((r) => new URL(r.url).pathname === '/api/staff/patient-offers');
    expect(await search!.clone().json()).toEqual({ personnummer: '20100330-9877' });
    expect(backend.requests.every((r) => !r.url.includes('9877'))).toBe(true);
    expect(screen.getByLabelText(/Patientens personnummer/)).toHaveValue('20100330-9877');
  });

  it('is not undone by a /me answer from before the launch that arrives after it', async () => {
    window.sessionStorage.setItem(LAUNCH_STORAGE_KEY, TOKEN);
    const noUnitYet = { ...staffMeWithModules, selected_assignment_id: null, modules: [] };
    installFakeBackend({
      getSession: staffSession,
      // The page frame asks for /me while the launch is under way; this answer is slow.
      getStaffMe: ({ reply }) => new Promise((resolve) => setTimeout(() => resolve(reply(200, noUnitYet)), 150)),
      launchFromJournal: ({ reply }) =>
        reply(200, { personnummer: '20100330-9877', care_unit_hsa_id: 'SE2321000016-1001', me: staffMeWithModules }),
      findPatientOffers: patientOffers,
    });
    const { router } = renderApp('/pro/uthopp');

    expect(await screen.findByRole('heading', { name: 'Patient: Oscar Nilsson' })).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(router.state.location.pathname).toBe('/pro/tilldela');
  });

  it('explains a refused link in Swedish and forgets the token', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      launchFromJournal: ({ problem }) =>
        problem(403, { type: '/problems/launch-expired', title: 'The link has expired', status: 403, detail: 'The link has expired' }),
    });
    const { router } = renderApp(`/pro/uthopp#launch=${TOKEN}`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Länken från journalsystemet kunde inte öppnas' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Länken har slutat gälla.');
    expect(router.state.location.hash).toBe('');
    expect(window.sessionStorage.getItem(LAUNCH_STORAGE_KEY)).toBeNull();
  });

  it.each([
    ['/problems/launch-used', 'Länken har redan använts.'],
    ['/problems/launch-invalid', 'Länken är ogiltig.'],
  ])('chooses the text by problem type %s, whatever the detail says', async (type, text) => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      launchFromJournal: ({ problem }) => problem(403, { type, title: 'Refused', status: 403, detail: 'the link has expired' }),
    });
    renderApp(`/pro/uthopp#launch=${TOKEN}`);
    expect(await screen.findByRole('alert')).toHaveTextContent(text);
  });

  it('says so when the staff member has no assignment at the link’s care unit', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      launchFromJournal: ({ problem }) =>
        problem(403, {
            type: '/problems/no-assignment-at-unit',
            title: 'No employee assignment at the care unit of the link',
            status: 403,
            // The Swedish text follows the type, not the English detail.
            detail: 'Refused',
          }),
    });
    renderApp(`/pro/uthopp#launch=${TOKEN}`);
    expect(await screen.findByText('Du har inget medarbetaruppdrag på vårdenheten som länken gäller.')).toBeInTheDocument();
  });

  it('tells the user when there is no token at all', async () => {
    installFakeBackend({ getSession: staffSession, launchFromJournal: ({ problem }) => problem(500, { type: 'about:blank', title: 'x' }) });
    renderApp('/pro/uthopp');
    expect(await screen.findByRole('alert')).toHaveTextContent('Länken saknar uppgifter');
  });
});

describe('a link made for another user (issue 11 item 5)', () => {
  it('says in Swedish that the link was made for someone else', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      launchFromJournal: ({ problem }) =>
        problem(403, { type: '/problems/launch-other-user', title: 'The link was made for another staff member' }),
    });
    renderApp(`/pro/uthopp#launch=${TOKEN}`);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Länken är skapad för en annan användare. Öppna länken från journalsystemet när du själv är inloggad där, eller be den som länken är skapad för att öppna den.',
    );
    expect(window.sessionStorage.getItem(LAUNCH_STORAGE_KEY)).toBeNull();
  });
});
