import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { listSamplingPrinters } from '@shared/client/sdk.gen';
import { printingKeys, samplingKeys } from '../lib/queryKeys';
import { availablePrinters, browserPrintBaseUrl, defaultPrinter, writeToPrinter } from './browserPrint';
import type { BrowserPrintDevice } from './browserPrint';
import { rememberedPrinter, rememberPrinter } from './printerChoice';

/** A printer the user can choose: a Browser Print device, or a network printer of the server's list (IP print). */
export type Printer = { kind: 'browser'; name: string; device: BrowserPrintDevice } | { kind: 'network'; name: string };

interface Options {
  /** Whether to ask the server for its network printers (GET /api/staff/sampling/printers needs Provtagning). */
  network: boolean;
}

/**
 * The printers of this workstation: the Browser Print agent's devices (its default first) and
 * the server's network printers; the chosen one is remembered by its name.
 */
export function usePrinters({ network }: Options) {
  const baseUrl = browserPrintBaseUrl();
  const agent = useQuery({
    queryKey: printingKeys.browserPrint(baseUrl),
    queryFn: async () => {
      const [devices, fallback] = await Promise.all([availablePrinters(), defaultPrinter()]);
      const all = fallback && !devices.some((d) => d.name === fallback.name) ? [fallback, ...devices] : devices;
      return { devices: all, defaultName: fallback?.name ?? null };
    },
    retry: false,
    staleTime: 5 * 60_000,
  });
  const servers = useQuery({
    queryKey: samplingKeys.printers,
    queryFn: async () => (await listSamplingPrinters({ throwOnError: true })).data.printers,
    enabled: network,
    staleTime: 5 * 60_000,
  });
  const [selected, setSelected] = useState<string | null>(rememberedPrinter);

  const printers: Printer[] = [
    ...(agent.data?.devices ?? []).map((device) => ({ kind: 'browser' as const, name: device.name, device })),
    ...(servers.data ?? []).map((name) => ({ kind: 'network' as const, name })),
  ];
  const printer =
    printers.find((p) => p.name === selected) ??
    printers.find((p) => p.name === agent.data?.defaultName) ??
    printers[0] ??
    null;

  return {
    printers,
    printer,
    /** The remembered name when that printer is not there now (shown, not silently replaced). */
    missing: selected !== null && !printers.some((p) => p.name === selected) && !agent.isPending ? selected : null,
    agent,
    select: (name: string) => {
      rememberPrinter(name);
      setSelected(name);
    },
    refresh: () => void agent.refetch(),
  };
}

export type Printers = ReturnType<typeof usePrinters>;

/** The network printer to name in the print request (the server sends there), if that is the choice. */
export function networkPrinterOf(printer: Printer | null): string | undefined {
  return printer?.kind === 'network' ? printer.name : undefined;
}

/** After the server answered the labels: a Browser Print device gets them from the browser. */
export async function deliverLabels(printer: Printer | null, zpl: string): Promise<void> {
  if (printer?.kind === 'browser') await writeToPrinter(printer.device, zpl);
}
