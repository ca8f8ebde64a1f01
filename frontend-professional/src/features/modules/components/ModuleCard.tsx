import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MenuModule } from '../moduleCodes';

/** Modules that are built open their page; the others are plain cards marked "Kommer snart". */
const MODULE_PATHS: Partial<Record<MenuModule, string>> = {
  sampling: '/provtagning',
  labels: '/etiketter',
  order_receipt: '/ordermottagning',
  result_registration: '/svarsregistrering',
  worklist: '/arbetslista',
  treatment_responsibility: '/behandlingsansvar',
  contact_tracing: '/smittsparning',
  assign_offer: '/tilldela',
  assigned_offers: '/tilldelade',
  administration: '/admin',
};

export function ModuleCard({ module }: { module: MenuModule }) {
  const { t } = useTranslation();
  const path = MODULE_PATHS[module];
  if (path) {
    return (
      <li className="module-card module-card--link">
        <h2>
          <Link to={path}>{t(`modules.${module}.title`)}</Link>
        </h2>
        <p>{t(`modules.${module}.description`)}</p>
      </li>
    );
  }
  // Not a link and not a button: nothing to activate. The heading itself says it is not open yet.
  return (
    <li className="module-card module-card--soon">
      <h2>
        {t(`modules.${module}.title`)} <span className="tag tag--muted">{t('modules.soon')}</span>
      </h2>
      <p>{t(`modules.${module}.description`)}</p>
    </li>
  );
}
