// Starts an app in the page's #root: the app's router inside the shared providers, in StrictMode.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { createBrowserRouter } from 'react-router';
import { App } from './App';
import { createQueryClient } from './lib/queryClient';

export function mountApp(router: ReturnType<typeof createBrowserRouter>): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('#root missing in index.html');
  createRoot(container).render(
    <StrictMode>
      <App queryClient={createQueryClient()} router={router} />
    </StrictMode>,
  );
}
