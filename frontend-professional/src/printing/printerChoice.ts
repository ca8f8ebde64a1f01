// The printer this workstation prints on: remembered in localStorage, by its name only.
const KEY = 'egen-provhantering-pro.printer';

export function rememberedPrinter(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberPrinter(name: string): void {
  try {
    window.localStorage.setItem(KEY, name);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export const PRINTER_STORAGE_KEY = KEY;
