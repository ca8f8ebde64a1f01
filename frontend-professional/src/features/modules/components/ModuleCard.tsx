import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MenuModule } from '../moduleCodes';

/** Modules that are built open their page; the others are still descriptions. */
const MODULE_PATHS: Partial<Record<MenuModule, string>> = {
  assign_offer: '/tilldela',
  assigned_offers: '/tilldelade',
  administration: '/admin',
};

export function ModuleCard({ module }: { module: MenuModule }) {
  const { t } = useTranslation();
  const path = MODULE_PATHS[module];
  return (
    <li className={path ? 'module-card module-card--link' : 'module-card'}>
      <h2>{path ? <Link to={path}>{t(`modules.${module}.title`)}</Link> : t(`modules.${module}.title`)}</h2>
      <p>{t(`modules.${module}.description`)}</p>
    </li>
  );
}
