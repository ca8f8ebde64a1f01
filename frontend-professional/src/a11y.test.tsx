import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import {
  installFakeBackend,
  loggedOutSession,
  staffMeAtUnit2,
  staffMeWithoutContext,
  staffSession,
} from './test/fakeBackend';
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
  it('login page has no axe violations', async () => {
    installFakeBackend({ 'GET /api/session': loggedOutSession });
    renderApp('/pro/');
    await screen.findByRole('button', { name: 'Logga in med SITHS' });
    expect(await violations()).toEqual([]);
  });

  it('care unit choice has no axe violations', async () => {
    installFakeBackend({ 'GET /api/session': staffSession, 'GET /api/staff/me': staffMeWithoutContext });
    renderApp('/pro/valj-vardenhet');
    await screen.findByRole('button', { name: 'Fortsätt' });
    expect(await violations()).toEqual([]);
  });

  it('module menu has no axe violations', async () => {
    installFakeBackend({ 'GET /api/session': staffSession, 'GET /api/staff/me': staffMeAtUnit2 });
    renderApp('/pro/');
    await screen.findByRole('heading', { level: 1, name: 'Välj modul' });
    expect(await violations()).toEqual([]);
  });
});
