import type { RouteObject } from 'react-router';
import { HelpTextsProvider } from './components/HelpTexts';
import { Layout } from './components/Layout';
import { NotFoundPage } from './components/NotFoundPage';
import { ChooseCareUnitPage } from './features/context/routes/ChooseCareUnitPage';
import { ModuleMenuPage } from './features/modules/routes/ModuleMenuPage';
import { RequireStaff } from './session/RequireStaff';
import { SessionProvider } from './session/SessionProvider';

/** The router runs with basename "/pro" (the backend serves this app under /pro/). */
export const ROUTER_BASENAME = '/pro';

export const routes: RouteObject[] = [
  {
    element: (
      <SessionProvider>
        <HelpTextsProvider>
          <Layout />
        </HelpTextsProvider>
      </SessionProvider>
    ),
    children: [
      {
        index: true,
        element: (
          <RequireStaff>
            <ModuleMenuPage />
          </RequireStaff>
        ),
      },
      {
        path: 'valj-vardenhet',
        element: (
          <RequireStaff>
            <ChooseCareUnitPage />
          </RequireStaff>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
