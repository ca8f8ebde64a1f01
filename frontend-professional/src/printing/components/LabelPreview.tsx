import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { printingKeys } from '../../lib/queryKeys';
import { labelSizeMm, splitLabels } from '../zpl';

/** Renders each label offline in the browser (zpl-renderer-js, loaded on first use: ~9 MB of WebAssembly). */
async function renderLabels(zpl: string): Promise<string[]> {
  const { ready } = await import('zpl-renderer-js');
  const { api } = await ready;
  const images: string[] = [];
  for (const label of splitLabels(zpl)) {
    const { widthMm, heightMm } = labelSizeMm(label);
    images.push(await api.zplToBase64Async(label, widthMm, heightMm, 8));
  }
  return images;
}

/** A preview of the labels before they are printed: one image per label, described by `title`. */
export function LabelPreview({ zpl, title }: { zpl: string; title: string }) {
  const { t } = useTranslation();
  const preview = useQuery({
    queryKey: printingKeys.preview(zpl),
    queryFn: () => renderLabels(zpl),
    staleTime: Infinity,
    retry: false,
  });
  const count = splitLabels(zpl).length;
  return (
    <figure className="label-preview" aria-busy={preview.isPending}>
      <figcaption>{t('printing.previewOf', { title, count })}</figcaption>
      {preview.isPending && <p className="muted">{t('printing.previewLoading')}</p>}
      {preview.isError && <p className="muted">{t('printing.previewFailed')}</p>}
      {preview.data && (
        <ul className="label-preview__list">
          {preview.data.map((png, index) => (
            <li key={index}>
              <img
                className="label-preview__image"
                src={`data:image/png;base64,${png}`}
                alt={t('printing.previewImage', { title, number: index + 1, count: preview.data.length })}
              />
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
