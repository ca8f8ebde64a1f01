import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Printers } from '../usePrinters';

/** Choosing this workstation's label printer; the choice is remembered (by name) for next time. */
export function PrinterPicker({ printers }: { printers: Printers }) {
  const { t } = useTranslation();
  const id = useId();
  const { agent } = printers;
  const browser = printers.printers.filter((p) => p.kind === 'browser');
  const network = printers.printers.filter((p) => p.kind === 'network');
  return (
    <div className="printer-picker">
      {printers.printers.length > 0 ? (
        <div className="field">
          <label className="field__label" htmlFor={id}>
            {t('printing.printer')}
          </label>
          <select
            id={id}
            className="input input--medium"
            value={printers.printer?.name ?? ''}
            onChange={(event) => printers.select(event.target.value)}
          >
            {browser.length > 0 && (
              <optgroup label={t('printing.browserPrintGroup')}>
                {browser.map((p) => (
                  <option key={`b-${p.name}`} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            )}
            {network.length > 0 && (
              <optgroup label={t('printing.networkGroup')}>
                {network.map((p) => (
                  <option key={`n-${p.name}`} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </div>
      ) : (
        !agent.isPending && <p>{t('printing.noPrinters')}</p>
      )}
      {agent.isError && (
        <div className="alert" role="status">
          <p>{t('printing.agentUnavailable')}</p>
        </div>
      )}
      {printers.missing && (
        <p className="muted" role="status">
          {t('printing.rememberedMissing', { name: printers.missing })}
        </p>
      )}
      <button type="button" className="button button--secondary button--small" onClick={printers.refresh}>
        {t('printing.refresh')}
      </button>
    </div>
  );
}
