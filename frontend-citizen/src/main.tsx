import { mountApp } from '@shared/main';
import { createBrowserRouter } from 'react-router';
import { setupI18n } from './i18n';
import { configureClient } from './lib/http';
import { routes } from './routes';
import './styles.css';

configureClient();
setupI18n();
mountApp(createBrowserRouter(routes));
