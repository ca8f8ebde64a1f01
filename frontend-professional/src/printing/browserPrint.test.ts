import { afterEach, describe, expect, it, vi } from 'vitest';
import { zebraDevice } from '../test/fakeBrowserPrint';
import { BrowserPrintUnavailable, availablePrinters, browserPrintBaseUrl, defaultPrinter, writeToPrinter } from './browserPrint';
import { labelSizeMm, splitLabels } from './zpl';

function agent(answers: Record<string, Response>) {
  const calls: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      calls.push(request);
      const url = new URL(request.url);
      return answers[`${request.method} ${url.pathname}${url.search}`]?.clone() ?? new Response('', { status: 404 });
    }),
  );
  return calls;
}

afterEach(() => {
  delete window.__PEP_BROWSER_PRINT_URL__;
});

describe('the Zebra Browser Print client', () => {
  it('talks to the local agent on 127.0.0.1:9100 unless a test points it elsewhere', () => {
    expect(browserPrintBaseUrl()).toBe('http://127.0.0.1:9100');
    window.__PEP_BROWSER_PRINT_URL__ = 'http://127.0.0.1:41234/';
    expect(browserPrintBaseUrl()).toBe('http://127.0.0.1:41234');
  });

  it('lists the available printers and reads the default one', async () => {
    const zd = zebraDevice('ZD421 Provtagningen');
    agent({
      'GET /available': Response.json({ printer: [zd, { junk: true }] }),
      'GET /default?type=printer': new Response(JSON.stringify(zd)),
    });
    expect(await availablePrinters()).toEqual([zd]);
    expect(await defaultPrinter()).toEqual(zd);
  });

  it('answers no default printer when the agent has none (an empty body)', async () => {
    agent({ 'GET /default?type=printer': new Response('') });
    expect(await defaultPrinter()).toBeNull();
  });

  it('writes the ZPL unchanged to the device, as a simple text/plain request', async () => {
    const zd = zebraDevice('ZD421');
    const calls = agent({ 'POST /write': new Response('') });
    const zpl = '^XA^CI28^FH\\^FDÅsa \\5EXZ^FS^XZ';
    await writeToPrinter(zd, zpl);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://127.0.0.1:9100/write');
    expect(calls[0]!.headers.get('Content-Type')).toBe('text/plain;charset=UTF-8');
    expect(JSON.parse(await calls[0]!.text())).toEqual({ device: zd, data: zpl });
  });

  it('says the agent is unavailable when it does not answer or answers an error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(availablePrinters()).rejects.toBeInstanceOf(BrowserPrintUnavailable);
    agent({});
    await expect(writeToPrinter(zebraDevice('x'), '^XA^XZ')).rejects.toThrow('Zebra Browser Print answered 404');
  });
});

describe('reading labels for the preview', () => {
  it('splits on ^XA…^XZ only, not on an escaped ^XZ inside a value', () => {
    const address = '^XA^PW800^LL400^FH\\^FDGatan \\5EXZ 1^FS^XZ';
    const tube = '^XA^PW600^LL300^FDRID^FS^XZ';
    expect(splitLabels(`${address}\n${tube}`)).toEqual([address, tube]);
  });

  it('sizes a label from ^PW and ^LL at 8 dots per mm, 4 x 2 inches without them', () => {
    expect(labelSizeMm('^XA^PW600^LL300^XZ')).toEqual({ widthMm: 75, heightMm: 37.5 });
    expect(labelSizeMm('^XA^FDx^FS^XZ')).toEqual({ widthMm: 101.6, heightMm: 50.8 });
  });
});
