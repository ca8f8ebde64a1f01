import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { listHelpTexts } from '@shared/client/sdk.gen';
import { useSession } from '../session/SessionProvider';
import { isStaffSession } from '../session/useStaffMe';
import { useHelpTexts } from './HelpTexts';
import { staffKeys } from '../lib/queryKeys';

/**
 * The help text for one input field ("offer.validity_days"), in the UI language, while help
 * texts are switched on. The texts are fetched the first time they are switched on.
 */
export function useFieldHelpText(key: string | undefined): string | undefined {
  const { enabled } = useHelpTexts();
  const { session } = useSession();
  const { i18n } = useTranslation();
  const texts = useQuery({
    queryKey: staffKeys.helpTexts,
    queryFn: async () => (await listHelpTexts({ throwOnError: true })).data,
    enabled: enabled && isStaffSession(session),
    staleTime: 5 * 60_000,
  });
  if (!enabled || !key || !texts.data) return undefined;
  const text = texts.data.find((t) => t.key === key);
  if (!text) return undefined;
  // English is optional: without it the Swedish text is shown.
  return i18n.language === 'en' && text.text_en ? text.text_en : text.text_sv;
}
