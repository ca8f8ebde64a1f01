import { useTranslation } from 'react-i18next';
import type { CitizenProfile } from '../../../session/useCitizenProfile';
import { fullName } from '../../../session/useCitizenProfile';

export function ProfileSummary({ profile }: { profile: CitizenProfile }) {
  const { t } = useTranslation();
  const address = profile.address;
  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t('profile.heading')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('profile.name')}</dt>
          <dd>{fullName(profile)}</dd>
        </div>
        <div>
          <dt>{t('profile.personnummer')}</dt>
          <dd>{profile.personnummer}</dd>
        </div>
        <div>
          <dt>{t('profile.region')}</dt>
          <dd>{profile.region?.name ?? t('profile.missing')}</dd>
        </div>
        <div>
          <dt>{t('profile.address')}</dt>
          <dd>
            {profile.protected_identity ? (
              t('profile.protected')
            ) : address ? (
              <>
                {address.care_of && (
                  <>
                    {t('profile.careOf', { name: address.care_of })}
                    <br />
                  </>
                )}
                {address.street}
                <br />
                {address.postal_code} {address.city}
              </>
            ) : (
              t('profile.missing')
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
