import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { violations } from '@shared/test/axe';
import type { ContactTracingOut, StaffMe } from '@shared/client/types.gen';
import { installFakeBackend, staffMeWithoutContext, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';

const tracer: StaffMe = {
  ...staffMeWithoutContext,
  selected_assignment_id: 'uppdrag-2',
  modules: [{ module: 'contact_tracing', care_unit_hsa_id: 'SE2321000016-2002' }],
};

const found: ContactTracingOut = {
  patient: { personnummer: '19900101-2385', name: 'Vera Testsson' },
  home_tests: [
    {
      order_id: 'order-2',
      offer_name: 'Opersonligt provtagningskit klamydia',
      sampling_method: 'anonymous_kit',
      tested_for: ['Klamydia (Chlamydia trachomatis), NAAT'],
      state: 'sampled',
      ordered_on: '2026-11-20',
      sampled_on: '2026-11-25',
      answered: false,
      answered_on: null,
    },
    {
      order_id: 'order-1',
      offer_name: 'Klamydia- och gonorrétest hemma',
      sampling_method: 'home_kit',
      tested_for: ['Gonorré (Neisseria gonorrhoeae), NAAT', 'Klamydia (Chlamydia trachomatis), NAAT'],
      state: 'answered',
      ordered_on: '2026-10-01',
      sampled_on: '2026-10-05',
      answered: true,
      answered_on: '2026-10-08',
    },
  ],
};

describe('Smittspårning', () => {
  it('tells whether and when the home tests were done and answered, with no axe violations', async () => {
    const backend = installFakeBackend({ getSession: staffSession, getStaffMe: tracer, searchContactTracing: found });
    renderApp('/pro/smittsparning');

    expect(await screen.findByText(/visar aldrig om svaret var positivt eller negativt/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/Invånarens personnummer/), '19900101-2385');
    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));

    const table = await screen.findByRole('table', { name: '2 hemtest' });
    const [, kit, home] = table.querySelectorAll('tr');
    expect(kit).toHaveTextContent('Opersonligt provtagningskit klamydia');
    expect(kit).toHaveTextContent('2026-11-25');
    expect(kit).toHaveTextContent('Inget svar ännu');
    expect(home).toHaveTextContent('Svar finns, 2026-10-08');
    expect(home).toHaveTextContent('Besvarat');
    expect(table).not.toHaveTextContent(/Positivt|Negativt/);
    expect(await backend.calls('searchContactTracing')[0]!.json()).toEqual({ personnummer: '19900101-2385' });
    expect(await violations()).toEqual([]);
  });

  it('says when nobody has the personnummer', async () => {
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: tracer,
      searchContactTracing: ({ problem }) => problem(404, { type: '/problems/person-not-found', title: 'No such person' }),
    });
    renderApp('/pro/smittsparning');

    await userEvent.type(await screen.findByLabelText(/Invånarens personnummer/), '19121212-1212');
    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Det finns ingen person med det personnumret');
  });

  it('is offered in the module menu with its link', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: tracer });
    renderApp('/pro/');

    expect(await screen.findByRole('link', { name: 'Smittspårning' })).toHaveAttribute('href', '/pro/smittsparning');
  });
});
