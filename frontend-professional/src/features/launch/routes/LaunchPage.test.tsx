import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { pageNavigation } from '../../../lib/navigation';
import { installFakeBackend, json, loggedOutSession, problem, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { assignableOffers, patientOffers, staffMeWithModules } from '../../../test/staffFixtures';
import { LAUNCH_STORAGE_KEY } from '../launchToken';

const TOKEN = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.launch-token-for-tests';

describe('deep link from the journal system (uthopp)', () => {
  it('removes the fragment at once and sends a logged-out user to SITHS, keeping the token', async () => {
    installFakeBackend({ 'GET /api/session': loggedOutSession });
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
      'GET /api/session': staffSession,
      'GET /api/staff/me': staffMeWithModules,
      'POST /api/staff/launch': () =>
        json({ personnummer: '20100330-9877', care_unit_hsa_id: 'SE2321000016-1001', me: staffMeWithModules }),
      'POST /api/staff/patient-offers': patientOffers,
      'GET /api/staff/assignable-offers': assignableOffers,
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
      'GET /api/session': staffSession,
      // The page frame asks for /me while the launch is under way; this answer is slow.
      'GET /api/staff/me': () => new Promise((resolve) => setTimeout(() => resolve(json(noUnitYet)), 150)),
      'POST /api/staff/launch': () =>
        json({ personnummer: '20100330-9877', care_unit_hsa_id: 'SE2321000016-1001', me: staffMeWithModules }),
      'POST /api/staff/patient-offers': patientOffers,
      'GET /api/staff/assignable-offers': assignableOffers,
    });
    const { router } = renderApp('/pro/uthopp');

    expect(await screen.findByRole('heading', { name: 'Patient: Oscar Nilsson' })).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(router.state.location.pathname).toBe('/pro/tilldela');
  });

  it('explains a refused link in Swedish and forgets the token', async () => {
    installFakeBackend({
      'GET /api/session': staffSession,
      'GET /api/staff/me': staffMeWithModules,
      'POST /api/staff/launch': () =>
        json(
          { type: '/problems/launch-expired', title: 'The link has expired', status: 403, detail: 'The link has expired' },
          403,
        ),
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
      'GET /api/session': staffSession,
      'GET /api/staff/me': staffMeWithModules,
      'POST /api/staff/launch': () => json({ type, title: 'Refused', status: 403, detail: 'the link has expired' }, 403),
    });
    renderApp(`/pro/uthopp#launch=${TOKEN}`);
    expect(await screen.findByRole('alert')).toHaveTextContent(text);
  });

  it('says so when the staff member has no assignment at the link’s care unit', async () => {
    installFakeBackend({
      'GET /api/session': staffSession,
      'GET /api/staff/me': staffMeWithModules,
      'POST /api/staff/launch': () =>
        json(
          {
            type: '/problems/no-assignment-at-unit',
            title: 'No employee assignment at the care unit of the link',
            status: 403,
            // The Swedish text follows the type, not the English detail.
            detail: 'Refused',
          },
          403,
        ),
    });
    renderApp(`/pro/uthopp#launch=${TOKEN}`);
    expect(await screen.findByText('Du har inget medarbetaruppdrag på vårdenheten som länken gäller.')).toBeInTheDocument();
  });

  it('tells the user when there is no token at all', async () => {
    installFakeBackend({ 'GET /api/session': staffSession, 'POST /api/staff/launch': () => problem(500, 'x') });
    renderApp('/pro/uthopp');
    expect(await screen.findByRole('alert')).toHaveTextContent('Länken saknar uppgifter');
  });
});
