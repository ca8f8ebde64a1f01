import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { violations } from '@shared/test/axe';
import { describe, expect, it, vi } from 'vitest';
import { type FakeRoutes, installFakeBackend, staffSession, validationProblem } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { assignedOffer, patientOffers, staffMeWithModules } from '../../../test/staffFixtures';

function backendWith(routes: FakeRoutes) {
  return installFakeBackend({
    getSession: staffSession,
    getStaffMe: staffMeWithModules,
    ...routes,
  });
}

async function search(personnummer: string) {
  await userEvent.type(await screen.findByLabelText(/Patientens personnummer/), personnummer);
  await userEvent.click(screen.getByRole('button', { name: 'Sök' }));
}

describe('Tilldela erbjudande', () => {
  it('searches, shows the unit’s offers with details, assigns and lists the assignment', async () => {
    const backend = backendWith({
      findPatientOffers: patientOffers,
      assignOffer: ({ reply }) => reply(201, assignedOffer()),
    });
    renderApp('/pro/tilldela');
    expect(await screen.findByText(/Tilldelningen görs från Vårdcentralen Kungsholmen/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Byt vårdenhet' })).toHaveAttribute('href', '/pro/valj-vardenhet');

    await search('201003309877');
    const heading = await screen.findByRole('heading', { name: 'Patient: Oscar Nilsson' });
    await vi.waitFor(() => expect(heading).toHaveFocus());
    expect(screen.getByText('Patienten har inga erbjudanden tilldelade från den här vårdenheten.')).toBeInTheDocument();

    const offers = screen.getByRole('table', { name: /Erbjudanden som vårdenheten kan tilldela/ });
    const details = within(offers).getByRole('button', { name: 'Klamydiatest hemma' });
    expect(details).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(details);
    expect(details).toHaveAttribute('aria-expanded', 'true');
    expect(within(offers).getByText('Klamydia, NAAT')).toBeInTheDocument();

    await userEvent.click(within(offers).getByRole('button', { name: 'Tilldela Klamydiatest hemma' }));
    expect(await screen.findByText(/Klamydiatest hemma har tilldelats Oscar Nilsson/)).toBeInTheDocument();
    const post = backend.requests.find((r) => new URL(r.url).pathname === '/api/staff/assignments');
    expect(await post!.clone().json()).toEqual({ personnummer: '20100330-9877', catalog_id: '1001' });
    const assigned = screen.getByRole('table', { name: 'Erbjudanden som vårdenheten har tilldelat patienten' });
    expect(within(assigned).getByText('Klamydiatest hemma')).toBeInTheDocument();
    expect(within(offers).getByText('Redan tilldelat')).toBeInTheDocument();
  });

  it('shows the server’s 422 and 404 at the personnummer field', async () => {
    const backend = backendWith({
      findPatientOffers: ({ problem }) => problem(422, validationProblem([{ field: 'personnummer', code: 'check_character', message: 'bad check digit' }])),
    });
    renderApp('/pro/tilldela');
    await search('20100330-9870');
    const field = screen.getByLabelText(/Patientens personnummer/);
    expect(await screen.findByText('Formuläret innehåller fel')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field.getAttribute('aria-describedby')).toContain('assign-personnummer-error');
    expect(document.getElementById('assign-personnummer-error')).toHaveTextContent('Ange ett giltigt personnummer');

    backend.on('findPatientOffers', ({ problem }) =>
      problem(404, { type: '/problems/not-found', title: 'Not found', status: 404 }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));
    expect(await screen.findByText('Det finns ingen person med det personnumret i folkbokföringen.', { selector: 'p' })).toBeInTheDocument();
  });

  it('checks the format before asking the server', async () => {
    const backend = backendWith({});
    renderApp('/pro/tilldela');
    await search('12345');
    expect(screen.getByLabelText(/Patientens personnummer/)).toHaveAttribute('aria-invalid', 'true');
    expect(backend.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('says so when the offer is already assigned (409)', async () => {
    backendWith({
      findPatientOffers: patientOffers,
      assignOffer: ({ problem }) =>
        problem(409, { type: '/problems/conflict', title: 'Conflict', status: 409, detail: 'the patient already has this offer' }),
    });
    renderApp('/pro/tilldela');
    await search('20100330-9877');
    await userEvent.click(await screen.findByRole('button', { name: 'Tilldela PSA-prov' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Patienten har redan det här erbjudandet');
  });

  it('removes an assigned offer after confirmation', async () => {
    const backend = backendWith({
      findPatientOffers: { ...patientOffers, assigned: [assignedOffer()] },
      removeAssignedOffer: ({ reply }) => reply(204),
    });
    renderApp('/pro/tilldela');
    await search('20100330-9877');
    const remove = await screen.findByRole('button', { name: 'Ta bort erbjudande Klamydiatest hemma' });

    await userEvent.click(remove);
    let dialog = screen.getByRole('dialog', { name: 'Ta bort tilldelat erbjudande?' });
    expect(within(dialog).getByRole('button', { name: 'Avbryt' })).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await vi.waitFor(() => expect(remove).toHaveFocus());

    await userEvent.click(remove);
    dialog = screen.getByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ta bort erbjudande' }));
    expect(await screen.findByText('Klamydiatest hemma har tagits bort från patientens erbjudanden.')).toBeInTheDocument();
    expect(screen.getByText('Patienten har inga erbjudanden tilldelade från den här vårdenheten.')).toBeInTheDocument();
    expect(backend.requests.some((r) => new URL(r.url).pathname === '/api/staff/assignments/a-1/remove')).toBe(true);
  });
});

describe('whom an offer is for (issue 11 item 10)', () => {
  const psaForMen = {
    catalog_id: '1002',
    name: 'PSA-prov',
    sampling_method: 'site_drop_in',
    validity_days: 60,
    products: ['PSA'],
    min_age: 40,
    max_age: 75,
    sex: 'M' as const,
  };
  const woman = {
    ...patientOffers,
    patient: { personnummer: '19800101-2388', given_name: 'Eva', family_name: 'Ek', age: 46, legal_sex: 'F' as const },
    assignable: [
      patientOffers.assignable[0]!,
      { ...psaForMen, eligible: false, ineligible_reason: 'sex' as const },
    ],
  };

  it('shows the patient’s age and legal sex', async () => {
    backendWith({ findPatientOffers: woman });
    renderApp('/pro/tilldela');
    await search('19800101-2388');
    const panel = (await screen.findByRole('heading', { name: 'Patient: Eva Ek' })).closest('section')!;
    expect(within(panel).getByText('Ålder').nextElementSibling).toHaveTextContent('46 år');
    expect(within(panel).getByText('Juridiskt kön').nextElementSibling).toHaveTextContent('Kvinna');
  });

  it('shows an offer the patient is not eligible for as such, with the reason, and offers no way to assign it', async () => {
    backendWith({ findPatientOffers: woman });
    renderApp('/pro/tilldela');
    await search('19800101-2388');
    const offers = await screen.findByRole('table', { name: /Erbjudanden som vårdenheten kan tilldela/ });
    const row = within(offers).getByRole('button', { name: 'PSA-prov' }).closest('tr')!;
    expect(within(row).getByText('Inte för patienten')).toHaveClass('tag');
    expect(row).toHaveTextContent('Patientens juridiska kön passar inte: erbjudandet gäller män 40–75 år.');
    expect(within(row).queryByRole('button', { name: 'Tilldela PSA-prov' })).not.toBeInTheDocument();
    expect(within(offers).getByRole('button', { name: 'Tilldela Klamydiatest hemma' })).toBeEnabled();
    expect(await violations()).toEqual([]);
  });

  it('explains the server’s refusal offer-not-for-patient in Swedish', async () => {
    // The list said the offer was for her (e.g. the offer changed meanwhile); the server refuses.
    backendWith({
      findPatientOffers: { ...woman, assignable: [{ ...psaForMen, eligible: true, ineligible_reason: null }] },
      assignOffer: ({ problem }) =>
        problem(409, { type: '/problems/offer-not-for-patient', title: 'The offer is not for this patient', detail: 'the offer is for men aged 40–75' }),
    });
    renderApp('/pro/tilldela');
    await search('19800101-2388');
    await userEvent.click(await screen.findByRole('button', { name: 'Tilldela PSA-prov' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Erbjudandet kan inte tilldelas patienten: det gäller män 40–75 år. Patienten skulle aldrig kunna se det.',
    );
    expect(screen.queryByText(/har tilldelats/)).not.toBeInTheDocument();
  });
});
