// Item 11: every page of the citizen app says where to get help (manual ch. 2).
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { citizenProfile, citizenSession, installFakeBackend, loggedOutSession } from '../test/fakeBackend';
import { homeKitOffer, ORDER_ID, placedOrder } from '../test/fixtures';
import { renderApp } from '../test/renderApp';
import type { FakeRoutes } from '../test/fakeBackend';

const SUPPORT_FORM = 'https://1177.support.se/oversikt/flow/38';

function expectSupportInFooter() {
  const footer = screen.getByRole('contentinfo');
  expect(within(footer).getByRole('heading', { level: 2, name: 'Behöver du hjälp?' })).toBeInTheDocument();
  expect(within(footer).getByText('Frågor om provsvar, provtagning eller din hälsa')).toBeInTheDocument();
  expect(
    within(footer).getByText(
      'Kontakta din vårdgivare, den mottagning som har berättat för dig om tjänsten. De hjälper dig också att tolka provsvaret.',
    ),
  ).toBeInTheDocument();
  expect(within(footer).getByText('Tekniska frågor eller problem med e-tjänsten')).toBeInTheDocument();
  const link = within(footer).getByRole('link', {
    name: 'supportformuläret på Support 1177 (öppnas på en ny sida)',
  });
  expect(link).toHaveAttribute('href', SUPPORT_FORM);
  expect(link).toHaveAttribute('rel', 'noopener noreferrer');
}

const loggedIn: FakeRoutes = { getSession: citizenSession, getCitizenProfile: citizenProfile };

describe('support information on every page', () => {
  it.each([
    ['the logged-out start page', '/', { getSession: loggedOutSession }, 'Logga in med BankID'],
    ['the logged-in start page', '/', loggedIn, 'Det här kan du göra'],
    ['the offer list', '/bestall', { ...loggedIn, listCitizenOffers: [homeKitOffer] }, 'Provtagningar för dig'],
    [
      'the order flow',
      '/Offer/Details?offerCatalogID=1001',
      { ...loggedIn, getCitizenOffer: homeKitOffer, listCitizenOrders: { items: [], next_cursor: null } },
      'Instruktion',
    ],
    ['an order', `/bestallningar/${ORDER_ID}`, { ...loggedIn, getCitizenOrder: placedOrder }, 'Ångra beställning'],
    ['the orders list', '/bestallningar', { ...loggedIn, listCitizenOrders: { items: [], next_cursor: null } }, 'Du har inga pågående beställningar.'],
    ['the kit page', '/kit', loggedIn, 'Kitnummer'],
    ['a page asking to log in', '/bestall', { getSession: loggedOutSession }, 'Logga in med BankID'],
    ['the logged-out page', '/utloggad', { getSession: loggedOutSession }, 'Du är utloggad'],
    ['a missing page', '/finns-inte', { getSession: loggedOutSession }, 'Sidan finns inte'],
  ] as [string, string, FakeRoutes, string][])('on %s', async (_name, path, routes, pageText) => {
    installFakeBackend(routes);
    renderApp(path);
    await screen.findAllByText(pageText);
    expectSupportInFooter();
  });
});
