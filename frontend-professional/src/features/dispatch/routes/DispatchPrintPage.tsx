import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KitOrderOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { formatDateTime } from '../../../lib/format';
import { LabelPreview } from '../../../printing/components/LabelPreview';
import { PrinterPicker } from '../../../printing/components/PrinterPicker';
import { deliverLabels, networkPrinterOf, usePrinters } from '../../../printing/usePrinters';
import { useExportOrders, usePrintOrders, useWaitingOrders } from '../api/dispatch';
import type { ExportFormat } from '../api/dispatch';
import { DispatchProblem } from '../components/DispatchProblem';
import { SelectAll, toggled } from '../components/OrderSelection';
import { useDispatchContext } from './DispatchLayout';

function addressOf(order: KitOrderOut): string {
  const a = order.delivery_address;
  if (!a) return '';
  return [a.care_of ? `c/o ${a.care_of}` : null, a.street, `${a.postal_code} ${a.city}`].filter(Boolean).join(', ');
}

/** The labels of an order in one ZPL stream, as they would print. */
function zplOf(order: KitOrderOut): string {
  return order.labels.map((l) => l.zpl).join('\n');
}

/** Utskrift: choose orders (or Markera alla), preview their labels, Skriv ut; Exportera with the export permission. */
export function DispatchPrintPage() {
  const { t, i18n } = useTranslation();
  const { kind, careUnitHsaId, canExport, networkPrinters } = useDispatchContext();
  const waiting = useWaitingOrders(kind, careUnitHsaId);
  const printers = usePrinters({ network: networkPrinters });
  const printing = usePrintOrders(kind, careUnitHsaId);
  const exporting = useExportOrders(kind);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [deliveryFailed, setDeliveryFailed] = useState(false);

  if (waiting.isPending) return <Loading />;
  if (waiting.isError) return <ErrorAlert error={waiting.error} onRetry={() => void waiting.refetch()} />;
  const { orders, manual_handling: manual, total } = waiting.data;
  const ids = orders.map((o) => o.order_id);
  const chosen = ids.filter((id) => selected.has(id));

  const print = (orderIds: string[], addressLabel: boolean) => {
    setOutcome(null);
    setDeliveryFailed(false);
    exporting.reset();
    const printer = printers.printer;
    printing.mutate(
      { orderIds, addressLabel, printer: networkPrinterOf(printer) },
      {
        onSuccess: async (result) => {
          setSelected(new Set());
          // The server saved the print first and then tried the network printer: a printer
          // that did not take the labels is a failed delivery, not a success.
          if (result.network_print && !result.network_print.sent) {
            setDeliveryFailed(true);
            return;
          }
          try {
            await deliverLabels(printer, result.zpl);
            setOutcome(
              t(result.printer ? 'dispatch.printedNetwork' : 'dispatch.printed', {
                count: result.orders.length,
                labels: result.labels.length,
                printer: result.printer ?? printer?.name ?? '',
              }),
            );
          } catch {
            setDeliveryFailed(true);
          }
        },
      },
    );
  };

  return (
    <>
      <h2>{t('dispatch.tabs.print')}</h2>
      <PrinterPicker printers={printers} />
      <div className="live-region" role="status">
        {outcome && <p className="alert alert--success">{outcome}</p>}
        {exporting.isSuccess && (
          <p className="alert alert--success">
            {t('dispatch.exported', { count: exporting.data.count, filename: exporting.data.filename })}
          </p>
        )}
      </div>
      {deliveryFailed && (
        <div className="alert alert--error" role="alert">
          <p>{t('dispatch.deliveryFailed')}</p>
        </div>
      )}
      <DispatchProblem error={printing.error ?? exporting.error} />
      <p>{t('dispatch.waiting', { count: total })}</p>
      {orders.length === 0 ? (
        <p>{t('dispatch.none')}</p>
      ) : (
        <>
          <SelectAll id={`${kind}-select-all`} ids={ids} selected={selected} onChange={setSelected} />
          <div className="table-scroll">
            <table className="table table--dense">
              <caption>{t('dispatch.caption', { count: orders.length, chosen: chosen.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{t('dispatch.choose')}</span>
                  </th>
                  <th scope="col">{t('dispatch.columns.ordered')}</th>
                  <th scope="col">{t('dispatch.columns.name')}</th>
                  <th scope="col">{t('dispatch.columns.personnummer')}</th>
                  <th scope="col">{t('dispatch.columns.offer')}</th>
                  <th scope="col">{t('dispatch.columns.rid')}</th>
                  <th scope="col">{t('dispatch.columns.address')}</th>
                  <th scope="col">{t('dispatch.columns.labels')}</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((order) => (
                  <Fragment key={order.order_id}>
                    <tr>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t('dispatch.chooseOrder', { rid: order.rid, name: order.name })}
                          checked={selected.has(order.order_id)}
                          onChange={() => setSelected((s) => toggled(s, order.order_id))}
                        />
                      </td>
                      <td className="nowrap">{formatDateTime(order.created_at, i18n.language)}</td>
                      <td>{order.name}</td>
                      <td className="nowrap">
                        {order.personnummer} ({order.sex_mark})
                      </td>
                      <td>{order.offer_name}</td>
                      <td className="nowrap mono">{order.rid}</td>
                      <td>{addressOf(order)}</td>
                      <td>
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          aria-expanded={previewed === order.order_id}
                          aria-controls={`preview-${order.order_id}`}
                          onClick={() => setPreviewed((p) => (p === order.order_id ? null : order.order_id))}
                        >
                          {t('dispatch.preview', { rid: order.rid })}
                        </button>
                      </td>
                    </tr>
                    {previewed === order.order_id && (
                      <tr className="table__details" id={`preview-${order.order_id}`}>
                        <td colSpan={8}>
                          <LabelPreview zpl={zplOf(order)} title={t('dispatch.previewTitle', { rid: order.rid })} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button button--primary"
              disabled={chosen.length === 0 || printing.isPending}
              onClick={() => print(chosen, true)}
            >
              {t('dispatch.print', { count: chosen.length })}
            </button>
            {canExport && (
              <span className="inline-form">
                <label htmlFor={`${kind}-export-format`}>{t('dispatch.exportFormat')}</label>
                <select
                  id={`${kind}-export-format`}
                  className="input input--small"
                  value={format}
                  onChange={(event) => setFormat(event.target.value as ExportFormat)}
                >
                  <option value="xlsx">{t('dispatch.formats.xlsx')}</option>
                  <option value="csv">{t('dispatch.formats.csv')}</option>
                </select>
                <button
                  type="button"
                  className="button button--secondary"
                  disabled={chosen.length === 0 || exporting.isPending}
                  onClick={() => {
                    setOutcome(null);
                    printing.reset();
                    exporting.mutate({ orderIds: chosen, format });
                  }}
                >
                  {t('dispatch.export', { count: chosen.length })}
                </button>
              </span>
            )}
          </div>
        </>
      )}
      {manual.length > 0 && (
        <section aria-labelledby={`${kind}-manual`}>
          <h2 id={`${kind}-manual`}>{t('dispatch.manual.heading')}</h2>
          <p>{t(`dispatch.manual.intro_${kind}`)}</p>
          <div className="table-scroll">
            <table className="table table--dense">
              <caption>{t('dispatch.manual.caption', { count: manual.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dispatch.columns.ordered')}</th>
                  <th scope="col">{t('dispatch.columns.name')}</th>
                  <th scope="col">{t('dispatch.columns.personnummer')}</th>
                  <th scope="col">{t('dispatch.columns.offer')}</th>
                  <th scope="col">{t('dispatch.columns.rid')}</th>
                  <th scope="col">{t('dispatch.manual.reason')}</th>
                  {kind === 'labels' && <th scope="col">{t('dispatch.columns.labels')}</th>}
                </tr>
              </thead>
              <tbody>
                {manual.map((order) => (
                  <tr key={order.order_id}>
                    <td className="nowrap">{formatDateTime(order.created_at, i18n.language)}</td>
                    <td>{order.name}</td>
                    <td className="nowrap">
                      {order.personnummer} ({order.sex_mark})
                    </td>
                    <td>{order.offer_name}</td>
                    <td className="nowrap mono">{order.rid}</td>
                    <td>{t('dispatch.manual.protectedIdentity')}</td>
                    {kind === 'labels' && (
                      <td>
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          disabled={printing.isPending}
                          onClick={() => print([order.order_id], false)}
                        >
                          {t('dispatch.manual.printTubes', { rid: order.rid })}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
