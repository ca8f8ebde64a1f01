// A small typed client of Zebra Browser Print, the local agent on the staff member's computer
// that passes ZPL on to a Zebra printer: GET /default?type=printer, GET /available and POST
// /write {device, data}. (The npm wrapper `zebra-browser-print-wrapper` was not used: GPL-3.0,
// and its agent address is a constant, so a test could not point it at a stand-in.)
// The agent's address is http://127.0.0.1:9100 (the CSP's connect-src allows it and the https
// port 9101); a test sets `window.__PEP_BROWSER_PRINT_URL__` before the app starts.

export interface BrowserPrintDevice {
  name: string;
  uid: string;
  connection: string;
  deviceType: string;
  provider: string;
  manufacturer: string;
  version?: number;
}

declare global {
  interface Window {
    /** Tests only: the address of a stand-in for the Browser Print agent. */
    __PEP_BROWSER_PRINT_URL__?: string;
  }
}

export const DEFAULT_BROWSER_PRINT_URL = 'http://127.0.0.1:9100';

export function browserPrintBaseUrl(): string {
  return (window.__PEP_BROWSER_PRINT_URL__ ?? DEFAULT_BROWSER_PRINT_URL).replace(/\/+$/, '');
}

/** The agent did not answer (not installed or not running) or answered with an error. */
export class BrowserPrintUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserPrintUnavailable';
  }
}

// text/plain keeps each call a "simple" CORS request, as Zebra's own library sends them.
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };

async function call(path: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${browserPrintBaseUrl()}${path}`, { ...init, headers: TEXT, credentials: 'omit' });
  } catch {
    throw new BrowserPrintUnavailable('Zebra Browser Print does not answer');
  }
  if (!response.ok) throw new BrowserPrintUnavailable(`Zebra Browser Print answered ${response.status}`);
  return response;
}

function isDevice(value: unknown): value is BrowserPrintDevice {
  return typeof value === 'object' && value !== null && typeof (value as BrowserPrintDevice).name === 'string';
}

/** The printers the agent knows of (its /available list, printers only). */
export async function availablePrinters(): Promise<BrowserPrintDevice[]> {
  const body: unknown = await (await call('/available')).json();
  const printers = (body as { printer?: unknown } | null)?.printer;
  return Array.isArray(printers) ? printers.filter(isDevice) : [];
}

/** The agent's default printer; null when none is set (the agent answers an empty body). */
export async function defaultPrinter(): Promise<BrowserPrintDevice | null> {
  const text = (await (await call('/default?type=printer')).text()).trim();
  if (!text) return null;
  try {
    const device: unknown = JSON.parse(text);
    return isDevice(device) ? device : null;
  } catch {
    return null;
  }
}

/** Sends the labels (ZPL II, exactly as the server made them) to the device. */
export async function writeToPrinter(device: BrowserPrintDevice, zpl: string): Promise<void> {
  await call('/write', { method: 'POST', body: JSON.stringify({ device, data: zpl }) });
}
