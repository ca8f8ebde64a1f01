import { useTranslation } from 'react-i18next';

// The citizen functions as the user manual names them. The modules are built later, so these are
// descriptions, not links.
const SERVICES = ['newOrder', 'ongoing', 'previous', 'registerKit'] as const;

export function ServiceMenu() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="services-heading">
      <h2 id="services-heading">{t('services.heading')}</h2>
      <p className="muted">{t('services.comingSoon')}</p>
      <ul className="service-list">
        {SERVICES.map((key) => (
          <li key={key} className="service-list__item">
            <h3>{t(`services.${key}.title`)}</h3>
            <p>{t(`services.${key}.description`)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
