import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';

export interface ModuleTab {
  path: string;
  label: string;
  /** Active only on exactly this path (the module's first tab). */
  end?: boolean;
}

interface Props {
  title: string;
  /** The sentence naming the care unit the module works for. */
  unitText: string;
  tabsLabel: string;
  tabs: readonly ModuleTab[];
}

/** The head of a patient-data module that works for the chosen care unit (Provtagning,
 * Etiketter, Ordermottagning, Svarsregistrering, Arbetslista): its title, the unit with the
 * way to change it, and the module's tabs. */
export function UnitModuleHeader({ title, unitText, tabsLabel, tabs }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <h1>{title}</h1>
      <p>
        {unitText} <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link>
      </p>
      <nav className="tabs" aria-label={tabsLabel}>
        <ul>
          {tabs.map((tab) => (
            <li key={tab.path}>
              <NavLink to={tab.path} end={tab.end}>
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
