import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { App } from './App';
import { setupI18n } from './i18n';
import { configureClient } from './lib/http';
import { createQueryClient } from './lib/queryClient';
import { ROUTER_BASENAME, routes } from './routes';
import './styles.css';

configureClient();
setupI18n();

const container = document.getElementById('root');
if (!container) throw new Error('#root missing in index.html');

createRoot(container).render(
  <StrictMode>
    <App
      queryClient={createQueryClient()}
      router={createBrowserRouter(routes, { basename: ROUTER_BASENAME })}
    />
  </StrictMode>,
);
