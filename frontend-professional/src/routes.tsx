import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import type { RouteObject } from 'react-router';
import { HelpTextsProvider } from './components/HelpTexts';
import { Layout } from './components/Layout';
import { NotFoundPage } from '@shared/components/NotFoundPage';
import { AdminLayout } from './features/administration/components/AdminLayout';
import { RequireAdminScope } from './features/administration/components/RequireAdminScope';
import { AdminIndexPage } from './features/administration/routes/AdminIndexPage';
import { CareUnitCreatePage } from './features/administration/routes/CareUnitCreatePage';
import { CareUnitEditPage } from './features/administration/routes/CareUnitEditPage';
import { CareUnitsPage } from './features/administration/routes/CareUnitsPage';
import { HelpTextsAdminPage } from './features/administration/routes/HelpTextsAdminPage';
import { LaboratoriesPage } from './features/administration/routes/LaboratoriesPage';
import { LaboratoryCreatePage } from './features/administration/routes/LaboratoryCreatePage';
import { LaboratoryEditPage } from './features/administration/routes/LaboratoryEditPage';
import { OfferCreatePage } from './features/administration/routes/OfferCreatePage';
import { OfferEditPage } from './features/administration/routes/OfferEditPage';
import { OffersPage } from './features/administration/routes/OffersPage';
import { PermissionsPage } from './features/administration/routes/PermissionsPage';
import { ProductsPage } from './features/administration/routes/ProductsPage';
import { SamplingUnitCreatePage } from './features/administration/routes/SamplingUnitCreatePage';
import { SamplingUnitEditPage } from './features/administration/routes/SamplingUnitEditPage';
import { SamplingUnitsPage } from './features/administration/routes/SamplingUnitsPage';
import { AssignedOffersPage } from './features/assigned-offers/routes/AssignedOffersPage';
import { AssignOfferPage } from './features/assignment/routes/AssignOfferPage';
import { ChooseCareUnitPage } from './features/context/routes/ChooseCareUnitPage';
import { LaunchPage } from './features/launch/routes/LaunchPage';
import { ModuleMenuPage } from './features/modules/routes/ModuleMenuPage';
import { RequireModule } from './session/RequireModule';
import { RequireStaff } from './session/RequireStaff';
import { SessionProvider } from './session/SessionProvider';

/** Pages for national and regional administrators only (see GET /api/staff/me's `administration`). */
const regional = (page: ReactNode) => <RequireAdminScope scope="regional">{page}</RequireAdminScope>;

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
      // The deep link (uthopp) from journal systems handles the login itself.
      { path: 'uthopp', element: <LaunchPage /> },
      {
        path: 'tilldela',
        element: (
          <RequireStaff>
            <RequireModule module="assign_offer">
              <AssignOfferPage />
            </RequireModule>
          </RequireStaff>
        ),
      },
      {
        path: 'tilldelade',
        element: (
          <RequireStaff>
            <RequireModule module="assigned_offers">
              <AssignedOffersPage />
            </RequireModule>
          </RequireStaff>
        ),
      },
      {
        path: 'admin',
        element: (
          <RequireStaff>
            <RequireModule module="administration">
              <AdminLayout />
            </RequireModule>
          </RequireStaff>
        ),
        children: [
          { index: true, element: <AdminIndexPage /> },
          { path: 'vardenheter', element: <CareUnitsPage /> },
          { path: 'vardenheter/ny', element: regional(<CareUnitCreatePage />) },
          { path: 'vardenheter/:hsaId', element: <CareUnitEditPage /> },
          { path: 'provtagningsenheter', element: regional(<SamplingUnitsPage />) },
          { path: 'provtagningsenheter/ny', element: regional(<SamplingUnitCreatePage />) },
          { path: 'provtagningsenheter/:unitId', element: regional(<SamplingUnitEditPage />) },
          { path: 'laboratorier', element: regional(<LaboratoriesPage />) },
          { path: 'laboratorier/ny', element: regional(<LaboratoryCreatePage />) },
          { path: 'laboratorier/:code', element: regional(<LaboratoryEditPage />) },
          { path: 'produkter', element: <ProductsPage /> },
          { path: 'erbjudanden', element: regional(<OffersPage />) },
          { path: 'erbjudanden/ny', element: regional(<OfferCreatePage />) },
          { path: 'erbjudanden/:catalogId', element: regional(<OfferEditPage />) },
          { path: 'behorigheter', element: <PermissionsPage /> },
          { path: 'hjalptexter', element: <HelpTextsAdminPage /> },
          { path: '*', element: <Navigate to="/admin" replace /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
