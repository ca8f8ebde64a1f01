import { mountApp } from '@shared/main';
import { createBrowserRouter } from 'react-router';
import { setupI18n } from './i18n';
import { configureApiClient } from '@shared/lib/http';
import { routes } from './routes';
import './styles.css';

configureApiClient();
setupI18n();
mountApp(createBrowserRouter(routes));
