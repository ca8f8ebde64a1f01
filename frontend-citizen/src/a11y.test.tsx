import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { citizenProfile, citizenSession, installFakeBackend, loggedOutSession } from './test/fakeBackend';
import { renderApp } from './test/renderApp';

// Structural WCAG 2.1 AA checks in jsdom (landmarks, names, headings). Colour contrast needs a
// real browser and is checked there.
async function violations() {
  const result = await axe.run(document.documentElement, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// jsdom has no canvas; axe only uses it for an icon-font heuristic.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

describe('accessibility', () => {
  it('logged-out start page has no axe violations', async () => {
    installFakeBackend({ 'GET /api/session': loggedOutSession });
    renderApp('/');
    await screen.findByRole('button', { name: 'Logga in med BankID' });
    expect(await violations()).toEqual([]);
  });

  it('logged-in start page has no axe violations', async () => {
    installFakeBackend({
      'GET /api/session': citizenSession,
      'GET /api/citizen/profile': citizenProfile,
    });
    renderApp('/');
    await screen.findByText('Välkommen, Anna Andersson!');
    expect(await violations()).toEqual([]);
  });
});
