import { describe, expect, it } from 'vitest';

// The real renderer (zpl-renderer-js, Go compiled to WebAssembly) under jsdom: a label with
// å/ä/ö and an escaped ^XZ becomes one PNG image.
describe('zpl-renderer-js', () => {
  it('renders a label to a PNG offline', async () => {
    const { ready } = await import('zpl-renderer-js');
    const { api } = await ready;
    const png = await api.zplToBase64Async('^XA^CI28^PW600^LL300^FO20,20^A0N,30,30^FH\\^FDÅsa \\5EXZ Öst^FS^XZ', 75, 37.5, 8);
    const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: width and height in pixels (8 dots per mm).
    const view = new DataView(bytes.buffer);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([600, 300]);
  }, 30_000);
});
