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
      listAssignedOffers: { total: 1, total_capped: false, page_size: 25, items: [assignedOffer()], next_cursor: null },
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

  it('Svarsregistrering with an answered order, its versions and the correction form has no axe violations', async () => {
    const version = {
      result_id: 'r-1',
      sampling_date: '2026-11-28',
      version: 1,
      corrected: false,
      insight: 'negative' as const,
      values: [{ analysis: 'Klamydia', value: 'Ej påvisad', unit: null, reference_range: 'Ej påvisad' }],
      comment: null,
      received_at: '2026-11-29T10:00:00Z',
      read_at: null,
      source: 'manual' as const,
      registered_by_hsa_id: 'SE2321000016-9999',
      registered_by_name: 'Sara Svensson',
      template_name: 'Klamydia negativ',
    };
    installFakeBackend({
      getSession: staffSession,
      getStaffMe: { ...staffMeWithModules, modules: [{ module: 'result_registration', care_unit_hsa_id: 'SE2321000016-1001' }] },
      openResultRegistrationOrder: {
        care_unit: { hsa_id: 'SE2321000016-1001', name: 'Vårdcentralen Kungsholmen' },
        patient: { personnummer: '19121212-1212', name: 'Tolvan Tolvansson' },
        order: {
          id: 'order-1',
          rid: 'ABCD-EFGH-JK',
          version: 4,
          status: 'answered',
          offer_name: 'Klamydiatest hemma',
          catalog_id: '1001',
          sampling_method: 'home_kit',
          created_at: '2026-11-20T09:00:00Z',
          sampled_at: '2026-11-27T23:00:00Z',
          answered_at: '2026-11-29T10:00:00Z',
          laboratory_code: 'KUL',
          laboratory_name: 'Karolinska Universitetslaboratoriet',
          results: 1,
        },
        lines: [{ line_no: 1, product_code: 'PEP-CT', product_name: 'Klamydia', result: version, versions: [version] }],
        templates: [
          {
            id: 'tpl-1',
            name: 'Klamydia negativ',
            laboratory_code: 'KUL',
            laboratory_name: 'Karolinska Universitetslaboratoriet',
            insight: 'negative',
            analyses: [{ analysis: 'Klamydia', unit: null, reference_range: null, value: 'Ej påvisad', insight: null }],
            default_comment: null,
          },
        ],
        sampling_date_locked: '2026-11-28',
        suggested_sampling_date: '2026-11-28',
      },
    });
    renderApp('/pro/svarsregistrering/bestallning/order-1');
    await screen.findByRole('heading', { level: 2, name: 'Korrigera registrerat svar' });
    await userEvent.selectOptions(screen.getByLabelText(/^Svarsmall/), 'tpl-1');
    expect(await violations()).toEqual([]);
  });
});

