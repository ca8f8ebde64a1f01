import type { RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { NotFoundPage } from './components/NotFoundPage';
import { OfferDetailsPage } from './features/offers/routes/OfferDetailsPage';
import { StartPage } from './features/start/routes/StartPage';
import { SessionProvider } from './session/SessionProvider';

export const routes: RouteObject[] = [
  {
    element: (
      <SessionProvider>
        <Layout />
      </SessionProvider>
    ),
    children: [
      { index: true, element: <StartPage /> },
      { path: 'Offer/Details', element: <OfferDetailsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
