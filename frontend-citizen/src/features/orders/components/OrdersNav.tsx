import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

/** Switches between Pågående and Tidigare beställningar. */
export function OrdersNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('orders.navLabel')} className="tabs">
      <ul>
        <li>
          <NavLink to="/bestallningar" end className="tabs__link">
            {t('orders.ongoingTitle')}
          </NavLink>
        </li>
        <li>
          <NavLink to="/bestallningar/tidigare" className="tabs__link">
            {t('orders.previousTitle')}
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}
