import { useTranslation } from 'react-i18next';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const target = t('language.switchTo');
  const targetCode = t('language.switchToCode');
  return (
    <button
      type="button"
      className="button button--link"
      lang={targetCode}
      onClick={() => void i18n.changeLanguage(targetCode)}
    >
      {target}
    </button>
  );
}
