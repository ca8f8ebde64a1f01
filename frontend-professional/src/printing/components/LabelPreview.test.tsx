import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '@shared/lib/queryClient';
import { setupI18n } from '../../i18n';
import { LabelPreview } from './LabelPreview';

// The renderer (WebAssembly, ~9 MB) is replaced at its module boundary here; the real rendering
// is proven in the browser (tests/e2e/test_sampling_and_labels.py).
const rendered = vi.hoisted(() => [] as { zpl: string; widthMm?: number; heightMm?: number; dpmm?: number }[]);
vi.mock('zpl-renderer-js', () => ({
  ready: Promise.resolve({
    api: {
      zplToBase64Async: async (zpl: string, widthMm?: number, heightMm?: number, dpmm?: number) => {
        rendered.push({ zpl, widthMm, heightMm, dpmm });
        return `PNG${rendered.length}`;
      },
    },
  }),
}));

describe('LabelPreview', () => {
  it('renders each label of the ZPL as its own image, at the label size', async () => {
    setupI18n('sv');
    const address = '^XA^CI28^PW800^LL400^FH\\^FDGatan \\5EXZ 1^FS^XZ';
    const tube = '^XA^CI28^PW600^LL300^FDRID^FS^XZ';
    render(
      <QueryClientProvider client={createQueryClient()}>
        <LabelPreview zpl={`${address}\n${tube}`} title="RID 1234" />
      </QueryClientProvider>,
    );
    expect(screen.getByText('Förhandsgranskning: RID 1234, 2 etiketter')).toBeInTheDocument();
    const images = await screen.findAllByRole('img');
    expect(images.map((i) => [i.getAttribute('alt'), i.getAttribute('src')])).toEqual([
      ['Etikett 1 av 2, RID 1234', 'data:image/png;base64,PNG1'],
      ['Etikett 2 av 2, RID 1234', 'data:image/png;base64,PNG2'],
    ]);
    expect(rendered).toEqual([
      { zpl: address, widthMm: 100, heightMm: 50, dpmm: 8 },
      { zpl: tube, widthMm: 75, heightMm: 37.5, dpmm: 8 },
    ]);
  });
});
