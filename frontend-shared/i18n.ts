// i18next set-up shared by both apps: Swedish by default, English on request, the choice kept
// in localStorage (the only thing the apps keep in browser storage) and mirrored in <html lang>.
// Each app passes its own texts and storage key.
import i18next from 'i18next';
import type { Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface I18nConfig {
  /** The app's texts: { sv: { translation: … }, en: { translation: … } }. */
  resources: Resource;
  /** localStorage key for the chosen language (one per app). */
  storageKey: string;
}

export function storedLanguage(storageKey: string): Language {
  try {
    const value = window.localStorage.getItem(storageKey);
    return value === 'en' ? 'en' : 'sv';
  } catch {
    return 'sv';
  }
}

export function setupI18n({ resources, storageKey }: I18nConfig, language: Language = storedLanguage(storageKey)) {
  if (!i18next.isInitialized) {
    i18next.on('languageChanged', (lng: string) => {
      document.documentElement.lang = lng;
      try {
        window.localStorage.setItem(storageKey, lng);
      } catch {
        // Storage can be unavailable (private mode); the choice then lasts for this page only.
      }
    });
    void i18next.use(initReactI18next).init({
      resources,
      lng: language,
      fallbackLng: 'sv',
      supportedLngs: [...LANGUAGES],
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  } else if (i18next.language !== language) {
    void i18next.changeLanguage(language);
  }
  document.documentElement.lang = i18next.language;
  return i18next;
}
