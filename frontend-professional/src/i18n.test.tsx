import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeBackend, loggedOutSession } from './test/fakeBackend';
import { renderApp } from './test/renderApp';

describe('language switch', () => {
  it('switches the text and the html lang attribute, and remembers the choice', async () => {
    installFakeBackend({ getSession: loggedOutSession });
    renderApp('/pro/', 'sv');

    await screen.findByRole('button', { name: 'Logga in med SITHS' });
    expect(document.documentElement.lang).toBe('sv');

    await userEvent.click(screen.getByRole('button', { name: 'In English' }));

    expect(await screen.findByRole('button', { name: 'Log in with SITHS' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem('egen-provhantering-pro.language')).toBe('en');

    await userEvent.click(screen.getByRole('button', { name: 'På svenska' }));
    expect(await screen.findByRole('button', { name: 'Logga in med SITHS' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('sv');
  });
});
