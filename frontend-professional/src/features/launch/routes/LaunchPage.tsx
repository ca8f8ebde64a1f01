import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { ApiError } from '@shared/lib/http';
import { problemSlug } from '@shared/lib/problems';
import { pageNavigation, staffLoginUrl } from '../../../lib/navigation';
import { useSession } from '../../../session/SessionProvider';
import { isStaffSession } from '../../../session/useStaffMe';
import { useLaunchFromJournal } from '../api/useLaunch';
import { forgetToken, storedToken, storeToken, tokenFromHash } from '../launchToken';

export const LAUNCH_PATH = '/pro/uthopp';

/**
 * /pro/uthopp#launch=<token>: the deep link from a journal system into Tilldela erbjudande.
 * The fragment is removed from the address bar at once; the token waits in sessionStorage
 * through the SITHS login and is deleted as soon as it has been used.
 */
export function LaunchPage() {
  const { t } = useTranslation();
  usePageTitle(t('launch.title'));
  const location = useLocation();
  const navigate = useNavigate();
  const { session, isLoading, isError } = useSession();
  const launch = useLaunchFromJournal();
  const started = useRef(false);

  const [token] = useState<string | null>(() => {
    const fromHash = tokenFromHash(location.hash);
    if (fromHash) {
      storeToken(fromHash);
      return fromHash;
    }
    return storedToken();
  });

  // Before anything else is painted: no token in the address bar (history, screenshots).
  useLayoutEffect(() => {
    if (location.hash) {
      void navigate({ pathname: location.pathname, search: location.search, hash: '' }, { replace: true });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on arrival
  }, []);

  const loggedIn = isStaffSession(session);
  useEffect(() => {
    if (!token || isLoading || isError || started.current) return;
    started.current = true;
    if (!loggedIn) {
      pageNavigation.assign(staffLoginUrl(LAUNCH_PATH));
      return;
    }
    launch.mutate(token, {
      onSuccess: (data) => {
        forgetToken();
        void navigate('/tilldela', { replace: true, state: { personnummer: data.personnummer } });
      },
      // A refused token will not work a second time either.
      onError: () => forgetToken(),
    });
  }, [token, isLoading, isError, loggedIn, launch, navigate]);

  if (isError) return <ErrorAlert error={null} onRetry={() => window.location.reload()} />;

  if (!token) {
    return (
      <>
        <h1>{t('launch.title')}</h1>
        <div className="alert alert--error" role="alert">
          <p>{t('launch.noToken')}</p>
        </div>
        <p>
          <Link to="/tilldela">{t('launch.toAssign')}</Link>
        </p>
      </>
    );
  }

  if (launch.isError) {
    return (
      <>
        <h1>{t('launch.failedTitle')}</h1>
        <div className="alert alert--error" role="alert">
          <p>{t(launchErrorKey(launch.error))}</p>
          <p>{t('launch.openAgain')}</p>
        </div>
        <p>
          <Link to="/">{t('launch.toStart')}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1>{t('launch.title')}</h1>
      {!isLoading && !loggedIn ? (
        <p role="status">{t('launch.toLogin')}</p>
      ) : (
        <Loading />
      )}
    </>
  );
}

type LaunchErrorKey =
  | 'launch.noAssignment'
  | 'launch.otherUser'
  | 'launch.expired'
  | 'launch.used'
  | 'launch.invalid'
  | 'errors.generic';

/** The Swedish text for the problem type of a refused link (/problems/launch-expired and so on). */
const LAUNCH_REFUSALS: Record<string, LaunchErrorKey> = {
  'launch-expired': 'launch.expired',
  'launch-used': 'launch.used',
  'launch-invalid': 'launch.invalid',
  'no-assignment-at-unit': 'launch.noAssignment',
  'launch-other-user': 'launch.otherUser',
};

function launchErrorKey(error: unknown): LaunchErrorKey {
  if (!(error instanceof ApiError)) return 'errors.generic';
  const known = LAUNCH_REFUSALS[problemSlug(error) ?? ''];
  if (known) return known;
  // Another refusal of the token (e.g. a malformed one: 422) is an invalid link as well.
  return error.status === 403 || error.status === 422 ? 'launch.invalid' : 'errors.generic';
}
