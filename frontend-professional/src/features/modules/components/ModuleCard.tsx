import { useTranslation } from 'react-i18next';
import type { MenuModule } from '../moduleCodes';

/** A module of the menu. The modules are built later, so this is a description, not a link. */
export function ModuleCard({ module }: { module: MenuModule }) {
  const { t } = useTranslation();
  return (
    <li className="module-card">
      <h2>{t(`modules.${module}.title`)}</h2>
      <p>{t(`modules.${module}.description`)}</p>
    </li>
  );
}
