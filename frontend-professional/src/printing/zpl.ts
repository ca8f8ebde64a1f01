// Reading the ZPL the server returned, for the preview: one image per label (^XA … ^XZ).
// A ^XZ inside a value is escaped by the server (\5EXZ under ^FH), so it cannot end a label here.

export function splitLabels(zpl: string): string[] {
  return zpl.match(/\^XA[\s\S]*?\^XZ/g) ?? [];
}

const DOTS_PER_MM = 8; // 203 dpi, the printers' resolution

/** The label's size in millimetres from its ^PW (width) and ^LL (length) in dots. */
export function labelSizeMm(label: string): { widthMm: number; heightMm: number } {
  const width = /\^PW(\d+)/.exec(label);
  const length = /\^LL(\d+)/.exec(label);
  return {
    widthMm: width ? Number(width[1]) / DOTS_PER_MM : 101.6,
    heightMm: length ? Number(length[1]) / DOTS_PER_MM : 50.8,
  };
}
