import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Dialog } from '../../../components/Dialog';
import { TextField } from '@shared/forms';
import { serverFieldCodes } from '@shared/forms';
import { problemSlug } from '../../../lib/problems';
import type { OrderDetails } from '../api/orders';
import { useDeleteOrder } from '../api/orders';

const PERSONNUMMER = /^(\d{2})?\d{6}[-+]?\d{4}$/;
const ONGOING = new Set(['ordered', 'handled', 'sampled']);

export interface DeletedNotice {
  notice: 'deleted';
}

function DeleteForm({ order, onCancel }: { order: OrderDetails; onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const remove = useDeleteOrder(order.order_id);
  const [personnummer, setPersonnummer] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failed, setFailed] = useState<'generic' | 'ongoing' | false>(false);
  const form = useRef<HTMLFormElement>(null);

  const showError = (message: string) => {
    setError(message);
    // The one field of the dialog takes the focus; its error is tied to it.
    window.setTimeout(() => form.current?.querySelector<HTMLInputElement>('input')?.focus(), 0);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (remove.isPending) return;
    setFailed(false);
    const value = personnummer.trim();
    if (!value) return showError(t('deleteOrder.errors.missing'));
    if (!PERSONNUMMER.test(value)) return showError(t('deleteOrder.errors.format'));
    setError(undefined);
    remove.mutate(value, {
      onSuccess: () => {
        const list = ONGOING.has(order.status) ? '/bestallningar' : '/bestallningar/tidigare';
        const state: DeletedNotice = { notice: 'deleted' };
        void navigate(list, { state });
      },
      onError: (problem) => {
        const code = serverFieldCodes(problem).confirm_personnummer;
        if (code !== undefined) {
          showError(
            code === 'not_own_personnummer'
              ? t('deleteOrder.errors.notYours')
              : t('deleteOrder.errors.invalid'),
          );
        } else setFailed(problemSlug(problem) === 'order-not-deletable' ? 'ongoing' : 'generic');
      },
    });
  };

  return (
    <form ref={form} noValidate onSubmit={onSubmit}>
      <p>
        <strong>{t('deleteOrder.warning')}</strong>
      </p>
      <p>{t('deleteOrder.explanation')}</p>
      <p>{t('deleteOrder.careKeepsCopy')}</p>
      {failed && (
        <div className="alert alert--error" role="alert">
          <p>{failed === 'ongoing' ? t('deleteOrder.errors.ongoing') : t('errors.generic')}</p>
        </div>
      )}
      <TextField
        id="confirm-personnummer"
        label={t('deleteOrder.personnummer')}
        hint={t('deleteOrder.personnummerHint')}
        inputMode="numeric"
        autoComplete="off"
        size="medium"
        value={personnummer}
        onChange={setPersonnummer}
        error={error}
        required
      />
      <div className="button-row">
        <button type="submit" className="button button--danger" aria-disabled={remove.isPending}>
          {remove.isPending ? t('deleteOrder.deleting') : t('deleteOrder.confirm')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('deleteOrder.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * Ta bort beställning och provsvar (manual 3.7): under Övrigt at the end of the result view, only
 * for an order with a result; an ongoing order is cancelled (Ångra), not deleted. Irreversible,
 * confirmed by typing one's personnummer.
 */
export function DeleteOrder({ order }: { order: OrderDetails }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (order.results === 0) return null;
  return (
    <section aria-labelledby="other-heading" className="order-section">
      <h2 id="other-heading">{t('deleteOrder.sectionHeading')}</h2>
      <p>{t('deleteOrder.intro')}</p>
      <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
        {t('deleteOrder.button')}
      </button>
      <Dialog id="delete-dialog" open={open} onClose={() => setOpen(false)} title={t('deleteOrder.title')}>
        <DeleteForm order={order} onCancel={() => setOpen(false)} />
      </Dialog>
    </section>
  );
}
