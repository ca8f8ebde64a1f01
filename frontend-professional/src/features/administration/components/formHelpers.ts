import { useCallback, useState } from 'react';

export function useFormValues<T extends object>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const set = useCallback(
    <K extends keyof T>(key: K) =>
      (value: T[K]) =>
        setValues((current) => ({ ...current, [key]: value })),
    [],
  );
  return { values, set, setValues };
}

/** The element id of a form's field ("lab", "mappings.0") → "lab-mappings-0". */
export function fieldId(form: string, field: string): string {
  return `${form}-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export function numberOrNull(value: string): number | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

export function isInteger(value: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(value.trim())) return false;
  const n = Number(value);
  return n >= min && n <= max;
}

export const HSA_ID = /^SE[0-9]{10}-[A-Za-z0-9]{1,}$/;
export const CODE = /^[A-Z0-9-]{2,32}$/;
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Local checks of a ZPL label template (the server checks the same and more). */
export function zplProblems(template: string): string[] {
  const problems: string[] = [];
  const text = template.trim();
  if (!text.startsWith('^XA')) problems.push('startXA');
  if (!text.endsWith('^XZ')) problems.push('endXZ');
  if (!text.includes('^CI28')) problems.push('ci28');
  if (!text.includes('{rid}')) problems.push('rid');
  const allowed = new Set([
    'rid',
    'tube_code',
    'lab_code',
    'product_name',
    'personnummer',
    'sex_mark',
    'address_line1',
    'address_line2',
    'address_line3',
  ]);
  for (const match of text.matchAll(/\{([^}]*)\}/g)) {
    if (!allowed.has(match[1] ?? '')) {
      problems.push('placeholder');
      break;
    }
  }
  return problems;
}
