import { render } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { App } from '@shared/App';
import { setupI18n } from '../i18n';
import type { Language } from '../i18n';
import { configureApiClient } from '@shared/lib/http';
import { createQueryClient } from '@shared/lib/queryClient';
import { routes } from '../routes';

export function renderApp(path = '/', language: Language = 'sv') {
  configureApiClient();
  setupI18n(language);
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false } });
  const result = render(<App queryClient={queryClient} router={router} />);
  return { ...result, router, queryClient };
}
