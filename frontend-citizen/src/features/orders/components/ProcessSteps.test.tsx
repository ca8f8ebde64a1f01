import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { violations } from '@shared/test/axe';
import { citizenProfile, citizenSession, installFakeBackend } from '../../../test/fakeBackend';
import { placedOrder } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

describe("the order's process steps (manual 2.6)", () => {
  it('shows each step with its date, the steps not reached as not yet, and marks the current one', async () => {
    installFakeBackend({
      getSession: citizenSession,
      getCitizenProfile: citizenProfile,
      getCitizenOrder: {
        ...placedOrder,
        status: 'sampled',
        can_cancel: false,
        cancel_refusal: 'sampled',
        steps: [
          { step: 'ordered', at: '2026-11-20T09:00:00Z' },
          { step: 'handled', at: '2026-11-21T07:30:00Z' },
          { step: 'sampled', at: '2026-11-23T23:30:00Z' },
          { step: 'answered', at: null },
        ],
      },
    });
    renderApp(`/bestallningar/${placedOrder.order_id}`);

    const section = await screen.findByRole('region', { name: 'Beställningens steg' });
    const steps = within(section).getAllByRole('listitem');
    expect(steps.map((s) => s.textContent)).toEqual([
      'Beställd: 20 november 2026',
      'Mottagen av vården: 21 november 2026',
      // 23:30 UTC is the next day in Sweden.
      'Provtagen: 24 november 2026',
      'Besvarad: inte ännu',
    ]);
    expect(steps.map((s) => s.getAttribute('aria-current'))).toEqual([null, null, 'step', null]);
    expect(await violations()).toEqual([]);
  });

  it('shows an order just placed as ordered only', async () => {
    installFakeBackend({ getSession: citizenSession, getCitizenProfile: citizenProfile, getCitizenOrder: placedOrder });
    renderApp(`/bestallningar/${placedOrder.order_id}`);
    const section = await screen.findByRole('region', { name: 'Beställningens steg' });
    expect(within(section).getAllByRole('listitem').map((s) => s.textContent)).toEqual([
      'Beställd: 20 november 2026',
      'Mottagen av vården: inte ännu',
      'Provtagen: inte ännu',
      'Besvarad: inte ännu',
    ]);
  });
});
