import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

// The citizen functions as the user manual names them.
const SERVICES = [
  { key: 'newOrder', to: '/bestall' },
  { key: 'ongoing', to: '/bestallningar' },
  { key: 'previous', to: '/bestallningar/tidigare' },
  { key: 'registerKit', to: '/kit' },
  { key: 'inbox', to: '/inkorg' },
  { key: 'settings', to: '/installningar' },
] as const;

export function ServiceMenu() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="services-heading">
      <h2 id="services-heading">{t('services.heading')}</h2>
      <ul className="service-list">
        {SERVICES.map(({ key, to }) => (
          <li key={key} className="service-list__item">
            <h3>
              <Link to={to} className="service-list__link">
                {t(`services.${key}.title`)}
              </Link>
            </h3>
            <p>{t(`services.${key}.description`)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
