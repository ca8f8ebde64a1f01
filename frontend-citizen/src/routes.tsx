import type { RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { NotFoundPage } from '@shared/components/NotFoundPage';
import { RequireCitizen } from './components/RequireCitizen';
import { InboxPage } from './features/inbox/routes/InboxPage';
import { KitPage } from './features/kits/routes/KitPage';
import { OfferDetailsPage } from './features/offers/routes/OfferDetailsPage';
import { OfferListPage } from './features/offers/routes/OfferListPage';
import { OrderConfirmationPage } from './features/offers/routes/OrderConfirmationPage';
import { OrderPage } from './features/orders/routes/OrderPage';
import { OrdersPage } from './features/orders/routes/OrdersPage';
import { SettingsPage } from './features/settings/routes/SettingsPage';
import { LoggedOutPage } from './features/start/routes/LoggedOutPage';
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
      { path: 'utloggad', element: <LoggedOutPage /> },
      {
        element: <RequireCitizen />,
        children: [
          { path: 'bestall', element: <OfferListPage /> },
          // The deep link other services use; keep the exact path.
          { path: 'Offer/Details', element: <OfferDetailsPage /> },
          { path: 'bestall/klar/:orderId', element: <OrderConfirmationPage /> },
          { path: 'bestallningar', element: <OrdersPage key="ongoing" state="ongoing" /> },
          { path: 'bestallningar/tidigare', element: <OrdersPage key="previous" state="previous" /> },
          { path: 'bestallningar/:orderId', element: <OrderPage /> },
          { path: 'kit', element: <KitPage /> },
          { path: 'inkorg', element: <InboxPage /> },
          { path: 'installningar', element: <SettingsPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
