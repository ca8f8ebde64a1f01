// This app's texts and storage key for the shared i18next set-up (@shared/i18n).
import { setupI18n as setupSharedI18n } from '@shared/i18n';
import type { Language } from '@shared/i18n';
import en from './locales/en.json';
import sv from './locales/sv.json';

export { LANGUAGES } from '@shared/i18n';
export type { Language } from '@shared/i18n';

const config = {
  resources: { sv: { translation: sv }, en: { translation: en } },
  // The only thing this app keeps in browser storage: the chosen UI language.
  storageKey: 'egen-provhantering-pro.language',
};

export function setupI18n(language?: Language) {
  return setupSharedI18n(config, language);
}
