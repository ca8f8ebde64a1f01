// Binds the shared client set-up (@shared/lib/http: cookies, CSRF header, problem+json errors,
// 401 handling) to this app's generated client.
import { configureClient as configureSharedClient } from '@shared/lib/http';
import { client } from '../client/client.gen';

export function configureClient(): void {
  configureSharedClient(client);
}
