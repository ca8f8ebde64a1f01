import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import sv from './locales/sv.json';

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

// The only thing this app keeps in browser storage: the chosen UI language.
const STORAGE_KEY = 'egen-provhantering.language';

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'en' ? 'en' : 'sv';
  } catch {
    return 'sv';
  }
}

function applyLanguage(language: string): void {
  document.documentElement.lang = language;
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage can be unavailable (private mode); the choice then lasts for this page only.
  }
}

export function setupI18n(language: Language = storedLanguage()) {
  if (!i18next.isInitialized) {
    i18next.on('languageChanged', applyLanguage);
    void i18next.use(initReactI18next).init({
      resources: { sv: { translation: sv }, en: { translation: en } },
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
