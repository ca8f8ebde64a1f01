import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionProvider';

/** Full-page navigation to the backend's BankID login; comes back to `returnTo`. */
export function LoginButton({ returnTo }: { returnTo: string }) {
  const { t } = useTranslation();
  const { login } = useSession();
  return (
    <button type="button" className="button button--primary button--large" onClick={() => login(returnTo)}>
      {t('auth.loginWithBankId')}
    </button>
  );
}
