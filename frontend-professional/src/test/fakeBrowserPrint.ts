// A fake Zebra Browser Print agent at the fetch boundary, in front of the fake backend: calls to
// the agent's address are answered here (and recorded), everything else goes on to the backend.
import { vi } from 'vitest';
import type { BrowserPrintDevice } from '../printing/browserPrint';
import { DEFAULT_BROWSER_PRINT_URL } from '../printing/browserPrint';

export function zebraDevice(name: string): BrowserPrintDevice {
  return {
    name,
    uid: name,
    connection: 'usb',
    deviceType: 'printer',
    provider: 'com.zebra.ds.webdriver.desktop.provider.DefaultDeviceProvider',
    manufacturer: 'Zebra Technologies',
    version: 0,
  };
}

export interface FakeAgent {
  /** What the page sent to POST /write, in order. */
  written: { device: BrowserPrintDevice; data: string }[];
}

/** Installs the agent; call after installFakeBackend (it wraps that fetch). `devices: null`: no agent answers. */
export function installFakeBrowserPrint(devices: BrowserPrintDevice[] | null, defaultName?: string): FakeAgent {
  const agent: FakeAgent = { written: [] };
  const backend = globalThis.fetch;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      if (!request.url.startsWith(DEFAULT_BROWSER_PRINT_URL)) return backend(input, init);
      if (devices === null) throw new TypeError('Failed to fetch');
      const path = new URL(request.url).pathname;
      if (path === '/available') return Response.json({ printer: devices });
      if (path === '/default') {
        const device = devices.find((d) => d.name === (defaultName ?? devices[0]?.name));
        return new Response(device ? JSON.stringify(device) : '');
      }
      if (path === '/write' && request.method === 'POST') {
        agent.written.push(JSON.parse(await request.text()));
        return new Response('');
      }
      return new Response('not found', { status: 404 });
    }),
  );
  return agent;
}
