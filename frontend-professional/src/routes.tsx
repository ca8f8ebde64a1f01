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
import { DeadLettersPage } from './features/administration/routes/DeadLettersPage';
import { IntegrationClientCreatePage } from './features/administration/routes/IntegrationClientCreatePage';
import { IntegrationClientEditPage } from './features/administration/routes/IntegrationClientEditPage';
import { IntegrationClientsPage } from './features/administration/routes/IntegrationClientsPage';
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
import { DispatchBatchPage } from './features/dispatch/routes/DispatchBatchPage';
import { DispatchLayout } from './features/dispatch/routes/DispatchLayout';
import { DispatchPrintPage } from './features/dispatch/routes/DispatchPrintPage';
import { BookingsPage } from './features/sampling/routes/BookingsPage';
import { PrintLogPage } from './features/sampling/routes/PrintLogPage';
import { SampledOrdersPage } from './features/sampling/routes/SampledOrdersPage';
import { SamplingLayout } from './features/sampling/routes/SamplingLayout';
import { SamplingOrderPage } from './features/sampling/routes/SamplingOrderPage';
import { SearchOrdersPage } from './features/sampling/routes/SearchOrdersPage';
import { InsightTextsAdminPage } from './features/administration/routes/InsightTextsAdminPage';
import { RegistrationOrderPage } from './features/result-registration/routes/RegistrationOrderPage';
import { RegistrationSearchPage } from './features/result-registration/routes/RegistrationSearchPage';
import { ResultLogPage } from './features/result-registration/routes/ResultLogPage';
import { ResultRegistrationLayout } from './features/result-registration/routes/ResultRegistrationLayout';
import { ContactTracingPage } from './features/contact-tracing/routes/ContactTracingPage';
import { RbaPage } from './features/treatment-responsibility/routes/RbaPage';
import { TreatmentResponsibilityPage } from './features/treatment-responsibility/routes/TreatmentResponsibilityPage';
import { WorklistLayout } from './features/worklist/routes/WorklistLayout';
import { WorklistPage } from './features/worklist/routes/WorklistPage';
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
      // Issue 8: Provtagning, Etiketter and Ordermottagning.
      {
        path: 'provtagning',
        element: (
          <RequireStaff>
            <RequireModule module="sampling">
              <SamplingLayout />
            </RequireModule>
          </RequireStaff>
        ),
        children: [
          { index: true, element: <SearchOrdersPage /> },
          { path: 'bokade-tider', element: <BookingsPage /> },
          { path: 'utskrivna', element: <SampledOrdersPage /> },
          { path: 'utskriftslogg', element: <PrintLogPage /> },
          { path: 'bestallning/:orderId', element: <SamplingOrderPage /> },
        ],
      },
      // Issue 10: Svarsregistrering and Svarslogg.
      {
        path: 'svarsregistrering',
        element: (
          <RequireStaff>
            <RequireModule module="result_registration">
              <ResultRegistrationLayout />
            </RequireModule>
          </RequireStaff>
        ),
        children: [
          { index: true, element: <RegistrationSearchPage /> },
          { path: 'svarslogg', element: <ResultLogPage /> },
          { path: 'bestallning/:orderId', element: <RegistrationOrderPage /> },
        ],
      },
      {
        path: 'etiketter',
        element: (
          <RequireStaff>
            <RequireModule module="labels">
              <DispatchLayout kind="labels" />
            </RequireModule>
          </RequireStaff>
        ),
        children: [
          { index: true, element: <DispatchPrintPage /> },
          { path: 'batch', element: <DispatchBatchPage /> },
        ],
      },
      {
        path: 'ordermottagning',
        element: (
          <RequireStaff>
            <RequireModule module="order_receipt">
              <DispatchLayout kind="order_receipt" />
            </RequireModule>
          </RequireStaff>
        ),
        children: [
          { index: true, element: <DispatchPrintPage /> },
          { path: 'batch', element: <DispatchBatchPage /> },
        ],
      },
      // Issue 10: Arbetslista, Behandlingsansvar (also by the short link /rba) and Smittspårning.
      {
        path: 'arbetslista',
        element: (
          <RequireStaff>
            <RequireModule module="worklist">
              <WorklistLayout />
            </RequireModule>
          </RequireStaff>
        ),
        children: [
          { index: true, element: <WorklistPage key="active" archived={false} /> },
          { path: 'arkiverade', element: <WorklistPage key="archived" archived /> },
        ],
      },
      {
        path: 'behandlingsansvar',
        element: (
          <RequireStaff>
            <RequireModule module="treatment_responsibility">
              <TreatmentResponsibilityPage />
            </RequireModule>
          </RequireStaff>
        ),
      },
      // The short link (manual 1.4) handles the login itself.
      { path: 'rba', element: <RbaPage /> },
      {
        path: 'smittsparning',
        element: (
          <RequireStaff>
            <RequireModule module="contact_tracing">
              <ContactTracingPage />
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
          { path: 'insiktstexter', element: <InsightTextsAdminPage /> },
          { path: 'integrationsklienter', element: regional(<IntegrationClientsPage />) },
          { path: 'integrationsklienter/ny', element: regional(<IntegrationClientCreatePage />) },
          { path: 'integrationsklienter/:clientId', element: regional(<IntegrationClientEditPage />) },
          {
            path: 'utkorg',
            element: (
              <RequireAdminScope scope="national">
                <DeadLettersPage />
              </RequireAdminScope>
            ),
          },
          { path: '*', element: <Navigate to="/admin" replace /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
