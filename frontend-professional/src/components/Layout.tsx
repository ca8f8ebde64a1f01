import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout as SharedLayout } from '@shared/components/Layout';
import { FormConventionsContext } from '@shared/forms';
import type { FormConventions } from '@shared/forms';
import { useSession } from '../session/SessionProvider';
import { isStaffSession, selectedAssignment, staffName, useStaffMe } from '../session/useStaffMe';
import { useFieldHelpText } from './FieldHelp';
import { useHelpTexts } from './HelpTexts';

export function Layout() {
  const { t } = useTranslation();
  const { session } = useSession();
  const helpTexts = useHelpTexts();
  const loggedIn = isStaffSession(session);
  const me = useStaffMe();
  const unit = me.data ? selectedAssignment(me.data) : undefined;
  // This app's forms mark required fields and show help texts while they are switched on.
  const conventions = useMemo<FormConventions>(
    () => ({ errorSummaryTitle: t('form.errorSummary'), requiredMark: t('form.requiredMark'), useHelpText: useFieldHelpText }),
    [t],
  );

  return (
    <FormConventionsContext.Provider value={conventions}>
      <SharedLayout
      headerBlock="topbar"
      logoutButtonClass="button--topbar"
      loggedIn={loggedIn}
      userItems={
        <>
          {loggedIn && me.data && (
            <li className="topbar__user">
              <span>{t('header.loggedInAs', { name: staffName(me.data) })}</span>
              {unit && <span className="topbar__unit">{t('header.careUnit', { name: unit.care_unit_name })}</span>}
            </li>
          )}
          {loggedIn && (
            <li>
              <button
                type="button"
                className="button button--topbar"
                aria-pressed={helpTexts.enabled}
                onClick={helpTexts.toggle}
              >
                {t('header.helpTexts')}
              </button>
            </li>
          )}
        </>
      }
      />
    </FormConventionsContext.Provider>
  );
}
