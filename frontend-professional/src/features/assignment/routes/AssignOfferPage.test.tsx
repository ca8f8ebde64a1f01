import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { installFakeBackend, json, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import {
  assignableOffers,
  assignedOffer,
  patientOffers,
  staffMeWithModules,
  validationProblem,
} from '../../../test/staffFixtures';

function backendWith(routes: Record<string, unknown>) {
  return installFakeBackend({
    'GET /api/session': staffSession,
    'GET /api/staff/me': staffMeWithModules,
    'GET /api/staff/assignable-offers': assignableOffers,
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
      'POST /api/staff/patient-offers': patientOffers,
      'POST /api/staff/assignments': () => json(assignedOffer(), 201),
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
      'POST /api/staff/patient-offers': () => validationProblem([{ field: 'personnummer', message: 'bad check digit' }]),
    });
    renderApp('/pro/tilldela');
    await search('20100330-9870');
    const field = screen.getByLabelText(/Patientens personnummer/);
    expect(await screen.findByText('Formuläret innehåller fel')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field.getAttribute('aria-describedby')).toContain('assign-personnummer-error');
    expect(document.getElementById('assign-personnummer-error')).toHaveTextContent('Ange ett giltigt personnummer');

    backend.on('POST /api/staff/patient-offers', () =>
      json({ type: '/problems/not-found', title: 'Not found', status: 404 }, 404),
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
      'POST /api/staff/patient-offers': patientOffers,
      'POST /api/staff/assignments': () =>
        json({ type: '/problems/conflict', title: 'Conflict', status: 409, detail: 'the patient already has this offer' }, 409),
    });
    renderApp('/pro/tilldela');
    await search('20100330-9877');
    await userEvent.click(await screen.findByRole('button', { name: 'Tilldela PSA-prov' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Patienten har redan det här erbjudandet');
  });

  it('removes an assigned offer after confirmation', async () => {
    const backend = backendWith({
      'POST /api/staff/patient-offers': { ...patientOffers, assigned: [assignedOffer()] },
      'POST /api/staff/assignments/a-1/remove': () => new Response(null, { status: 204 }),
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
