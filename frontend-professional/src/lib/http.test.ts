import { describeClientConfiguration } from '@shared/lib/http.contract';
import { client } from '../client/client.gen';
import { getSession, logout } from '../client/sdk.gen';
import { staffSession } from '../test/fakeBackend';

// The shared client set-up, tested against this app's generated client.
describeClientConfiguration({ client, getSession, logout, session: staffSession, logoutRedirect: '/pro/' });
