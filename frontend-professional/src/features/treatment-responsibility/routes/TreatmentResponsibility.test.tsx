import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { violations } from '@shared/test/axe';
import type { StaffMe, TreatmentResultOut, TreatmentSearchOut } from '@shared/client/types.gen';
import { pageNavigation } from '../../../lib/navigation';
import { installFakeBackend, loggedOutSession, staffMeWithoutContext, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';

const UNIT = 'SE2321000016-1001';
// An administrative assignment and no permission: Behandlingsansvar is still open (manual 4.1).
const clinician: StaffMe = {
  ...staffMeWithoutContext,
  selected_assignment_id: 'uppdrag-1',
  modules: [{ module: 'treatment_responsibility', care_unit_hsa_id: UNIT }],
};

const chlamydia: TreatmentResultOut = {
  id: 'line-1',
  offer_name: 'Klamydia- och gonorrétest hemma',
  product_name: 'Klamydia (Chlamydia trachomatis), NAAT',
  sampling_date: '2026-11-30',
  result_at: '2026-12-01T09:30:00Z',
  result_care_unit_hsa_id: 'SE2321000016-A002',
  result_care_unit_name: 'STI-mottagningen Södersjukhuset',
  takeovers: [],
};
const found: TreatmentSearchOut = {
  patient: { personnummer: '19900101-2385', name: 'Vera Testsson' },
  results: [chlamydia],
};
const takeover = {
  taken_by_hsa_id: 'SE2321000016-9999',
  taken_by_name: 'Sara Svensson',
  care_unit_hsa_id: UNIT,
  care_unit_name: 'Vårdcentralen Kungsholmen',
  taken_at: '2026-12-03T09:00:00Z',
};

describe('Behandlingsansvar', () => {
  it('finds the patient’s positive results, confirms and registers the takeover', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: clinician,
      searchTreatmentResults: found,
      takeOverTreatment: ({ reply }) =>
        reply(201, { already_taken_over: false, takeover, result: { ...chlamydia, takeovers: [takeover] } }),
    });
    renderApp('/pro/behandlingsansvar');

    await userEvent.type(await screen.findByLabelText(/Patientens personnummer/), '19900101-2385');
    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));
    const table = await screen.findByRole('table', { name: '1 positivt svar' });
    expect(table).toHaveTextContent('STI-mottagningen Södersjukhuset');
    expect(table).toHaveTextContent('Inte övertaget');
    expect(await violations()).toEqual([]);

    await userEvent.click(
      within(table).getByRole('button', { name: 'Ta över behandlingsansvaret för Klamydia (Chlamydia trachomatis), NAAT' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Bekräfta övertagande av behandlingsansvar' });
    expect(dialog).toHaveTextContent('Vårdcentralen Kungsholmen tar över behandlingsansvaret för Vera Testsson, 19900101-2385');
    expect(await violations()).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Registrera övertagande' }));

    expect(await screen.findByText(/Övertagandet är registrerat för Vårdcentralen Kungsholmen/)).toBeInTheDocument();
    const [call] = backend.calls('takeOverTreatment');
    expect(await call!.json()).toEqual({ personnummer: '19900101-2385', result_id: 'line-1' });
    expect(backend.requests.every((r) => !r.url.includes('2385'))).toBe(true);
    // Two axe runs on a busy machine.
  }, 20_000);

  it('says so when the unit had taken the result over already', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: clinician,
      searchTreatmentResults: found,
      takeOverTreatment: ({ reply }) =>
        reply(200, { already_taken_over: true, takeover, result: { ...chlamydia, takeovers: [takeover] } }),
    });
    renderApp('/pro/behandlingsansvar');

    await userEvent.type(await screen.findByLabelText(/Patientens personnummer/), '19900101-2385');
    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));
    await userEvent.click(await screen.findByRole('button', { name: /Ta över behandlingsansvaret/ }));
    await userEvent.click(await screen.findByRole('button', { name: 'Registrera övertagande' }));

    expect(await screen.findByText(/Din vårdenhet har redan tagit över behandlingsansvaret/)).toBeInTheDocument();
  });

  it('checks the personnummer before searching', async () => {
    const backend = installFakeBackend({ getSession: staffSession, getStaffMe: clinician });
    renderApp('/pro/behandlingsansvar');

    await userEvent.type(await screen.findByLabelText(/Patientens personnummer/), '1912');
    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Ange ett personnummer med 10 eller 12 siffror');
    expect(backend.calls('searchTreatmentResults')).toHaveLength(0);
  });
});

describe('the short link /rba (manual 1.4)', () => {
  it('sends a logged-out user to the SITHS login and back to /rba', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    const assign = vi.spyOn(pageNavigation, 'assign').mockImplementation(() => undefined);
    renderApp('/pro/rba');

    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('/auth/staff/login?return_to=%2Fpro%2Frba'));
    expect(screen.getByRole('status')).toHaveTextContent('inloggningen med SITHS');
  });

  it('lets a staff member choose an assignment first, then opens Behandlingsansvar', async () => {
    let me: StaffMe = staffMeWithoutContext;
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: ({ reply }) => reply(200, me),
      selectStaffContext: ({ reply }) => {
        me = clinician;
        return reply(200, clinician);
      },
    });
    const { router } = renderApp('/pro/rba');

    await userEvent.click(await screen.findByLabelText(/Vårdcentralen Kungsholmen/));
    await userEvent.click(screen.getByRole('button', { name: 'Fortsätt' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Behandlingsansvar' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/pro/behandlingsansvar');
  });

  it('opens the module at once for a staff member working under an assignment', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: clinician });
    const { router } = renderApp('/pro/rba');

    expect(await screen.findByRole('heading', { level: 1, name: 'Behandlingsansvar' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/pro/behandlingsansvar');
  });
});
