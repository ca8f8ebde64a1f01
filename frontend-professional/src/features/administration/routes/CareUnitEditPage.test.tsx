// A unit administrator's care unit (issue 11 item 17): the region's personal offers are chosen by
// the region's administrators. She is told so, and shown what the unit may assign, instead of
// "there are no personal offers in the region".
import { screen, within } from '@testing-library/react';
import { violations } from '@shared/test/axe';
import { describe, expect, it } from 'vitest';
import type { CareUnitOut } from '@shared/client/types.gen';
import { installFakeBackend, staffSession } from '../../../test/fakeBackend';
import { renderApp } from '../../../test/renderApp';
import { UNIT, staffMeUnitAdmin } from '../../../test/staffFixtures';

const unit: CareUnitOut = {
  hsa_id: UNIT,
  name: 'Vårdcentralen Kungsholmen',
  region_code: '01',
  region_name: 'Region Stockholm',
  care_giver_hsa_id: 'SE2321000016-0001',
  care_giver_name: 'Region Stockholm',
  result_recipient_hsa_id: null,
  worklist_insights: ['positive'],
  assignable_offers: ['1001', '1002'],
  retired: false,
  version: 3,
};

describe('the care unit page of a unit administrator', () => {
  it('says the region chooses the assignable offers and lists the unit’s, without asking for the region’s offers', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeUnitAdmin,
      listRegions: [{ code: '01', name: 'Region Stockholm' }],
      listAdministeredCareUnits: [],
      getCareUnit: ({ reply }) => reply(200, unit, { ETag: '"3"' }),
      listOffersAdmin: ({ problem }) => problem(403, { type: '/problems/forbidden', title: 'Not permitted' }),
    });
    renderApp(`/pro/admin/vardenheter/${UNIT}`);
    const section = (await screen.findByRole('heading', { name: 'Erbjudanden som vårdenheten kan tilldela' })).closest('section')!;
    expect(
      within(section).getByText(
        'Vilka personliga erbjudanden vårdenheten kan tilldela väljer regionens administratörer. Du administrerar vårdenheten men inte regionens erbjudanden, så du kan inte ändra valet här.',
      ),
    ).toBeInTheDocument();
    expect(within(section).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Erbjudande 1001', 'Erbjudande 1002']);
    expect(screen.queryByText('Det finns inga personliga erbjudanden i regionen.')).not.toBeInTheDocument();
    expect(backend.calls('listOffersAdmin')).toHaveLength(0);
    expect(await violations()).toEqual([]);
  });
});
