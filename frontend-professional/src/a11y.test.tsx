import { screen } from '@testing-library/react';
import { violations } from '@shared/test/axe';
import { describe, expect, it } from 'vitest';
import { installFakeBackend, loggedOutSession, staffMeAtUnit2, staffMeWithoutContext, staffSession } from './test/fakeBackend';
import userEvent from '@testing-library/user-event';
import { renderApp } from './test/renderApp';
import { assignedOffer, patientOffers, staffMeWithModules } from './test/staffFixtures';

describe('accessibility', () => {
  it('login page has no axe violations', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    renderApp('/pro/');
    await screen.findByRole('button', { name: 'Logga in med SITHS' });
    expect(await violations()).toEqual([]);
  });

  it('care unit choice has no axe violations', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeWithoutContext });
    renderApp('/pro/valj-vardenhet');
    await screen.findByRole('button', { name: 'Fortsätt' });
    expect(await violations()).toEqual([]);
  });

  it('module menu has no axe violations', async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeAtUnit2 });
    renderApp('/pro/');
    await screen.findByRole('heading', { level: 1, name: 'Välj modul' });
    expect(await violations()).toEqual([]);
  });

  const withModules = {
    getSession: staffSession,
    getStaffMe: staffMeWithModules,
  };

  it('Tilldela erbjudande with a patient has no axe violations', async () => {
    installFakeBackend({
      ...withModules,
      findPatientOffers: { ...patientOffers, assigned: [assignedOffer()] },
    });
    renderApp('/pro/tilldela');
    await userEvent.type(await screen.findByLabelText(/Patientens personnummer/), '20100330-9877');
    await userEvent.click(screen.getByRole('button', { name: 'Sök' }));
    await userEvent.click(await screen.findByRole('button', { name: 'PSA-prov' }));
    expect(await violations()).toEqual([]);
  });

  it('Tilldelade erbjudanden has no axe violations', async () => {
    installFakeBackend({
      ...withModules,
      listAssignedOffers: { total: 1, page: 1, page_size: 25, items: [assignedOffer()] },
    });
    renderApp('/pro/tilldelade');
    await screen.findByRole('table');
    expect(await violations()).toEqual([]);
  });

  it('the offer form has no axe violations, also with its errors shown', async () => {
    installFakeBackend({
      ...withModules,
      listRegions: [{ code: '01', name: 'Region Stockholm' }],
      listProducts: [{ code: 'PEP-CT', name: 'Klamydia', material: 'Urin', npu_code: null, retired: false, version: 1 }],
      listAdministeredCareUnits: [],
    });
    renderApp('/pro/admin/erbjudanden/ny');
    await userEvent.click(await screen.findByRole('button', { name: 'Skapa erbjudande' }));
    await screen.findByRole('alert', { name: 'Formuläret innehåller fel' });
    expect(await violations()).toEqual([]);
  });
});

