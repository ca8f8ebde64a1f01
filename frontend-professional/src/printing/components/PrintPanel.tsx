import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { NetworkPrintOut } from '@shared/client/types.gen';
import { deliverLabels } from '../usePrinters';
import type { Printer, Printers } from '../usePrinters';
import { LabelPreview } from './LabelPreview';
import { PrinterPicker } from './PrinterPicker';

interface Props {
  zpl: string;
  /** What the labels are of, e.g. "RID 1234 5678": names the preview and its images. */
  title: string;
  printers: Printers;
  /** What the server's IP print did, when the labels went to a network printer. */
  networkPrint?: NetworkPrintOut | null;
}

/** The labels the server made: a preview of each, then "Skriv ut" sends them to the chosen Browser Print printer. */
export function PrintPanel({ zpl, title, printers, networkPrint }: Props) {
  const { t } = useTranslation();
  const sending = useMutation({
    mutationFn: async (printer: Printer) => {
      await deliverLabels(printer, zpl);
      return printer.name;
    },
  });
  const printer = printers.printer;
  return (
    <div className="print-panel">
      <LabelPreview zpl={zpl} title={title} />
      {networkPrint ? (
        <div className={`alert ${networkPrint.sent ? 'alert--success' : 'alert--error'}`} role="status">
          <p>
            {networkPrint.sent
              ? t('printing.sentToNetwork', { printer: networkPrint.printer })
              : t('printing.networkFailed', { printer: networkPrint.printer, error: networkPrint.error ?? '' })}
          </p>
        </div>
      ) : (
        <>
          <PrinterPicker printers={printers} />
          <div className="button-row">
            <button
              type="button"
              className="button button--primary"
              disabled={!printer || printer.kind !== 'browser' || sending.isPending}
              onClick={() => printer && sending.mutate(printer)}
            >
              {t('printing.print')}
            </button>
          </div>
          <div className="live-region" role="status">
            {sending.isSuccess && <p>{t('printing.sent', { printer: sending.data })}</p>}
          </div>
          {sending.isError && (
            <div className="alert alert--error" role="alert">
              <p>{t('printing.sendFailed')}</p>
            </div>
          )}
        </>
      )}
    </div>
  );
}
