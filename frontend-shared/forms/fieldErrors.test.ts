import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/http';
import { fieldErrorsOf, formErrors, serverFieldCodes, serverFieldErrors } from './fieldErrors';

function invalid(errors: { field: string; message: string; code?: string }[]): ApiError {
  return new ApiError(422, { type: '/problems/validation', title: 'The request has invalid fields', status: 422, errors });
}

describe('422 field errors', () => {
  const error = invalid([
    { field: 'mappings.0.lab_code', message: 'unknown code', code: 'unknown' },
    { field: 'mappings.1.lab_code', message: 'duplicate', code: 'duplicate' },
    { field: 'name', message: 'Field required', code: 'missing' },
    { field: 'name', message: 'too long' },
    { field: 'region_code', message: 'not yours' },
    { field: '', message: 'general problem' },
  ]);

  it('puts each error on the longest known field it belongs to, joining several, and keeps the rest apart', () => {
    expect(fieldErrorsOf(error, ['name', 'mappings'])).toEqual({
      byField: { mappings: 'unknown code duplicate', name: 'Field required too long' },
      other: ['region_code: not yours', 'general problem'],
    });
  });

  it('reads the first message and the first code of each server field', () => {
    expect(serverFieldErrors(error)).toEqual({
      'mappings.0.lab_code': 'unknown code',
      'mappings.1.lab_code': 'duplicate',
      name: 'Field required',
      region_code: 'not yours',
      '': 'general problem',
    });
    expect(serverFieldCodes(error)).toEqual({
      'mappings.0.lab_code': 'unknown',
      'mappings.1.lab_code': 'duplicate',
      name: 'missing',
      region_code: 'invalid',
      '': 'invalid',
    });
  });

  it('ignores anything but a 422', () => {
    const conflict = new ApiError(409, { title: 'Conflict', errors: [{ field: 'name', message: 'x' }] });
    expect(fieldErrorsOf(conflict, ['name'])).toEqual({ byField: {}, other: [] });
    expect(serverFieldErrors(new Error('offline'))).toEqual({});
    expect(serverFieldCodes(undefined)).toEqual({});
  });

  it('lists the client’s errors first and the server’s general ones only when the client found none', () => {
    const options = {
      fields: ['name', 'mappings'] as const,
      labels: { name: 'Namn', mappings: 'Produktkoder' },
      idOf: (field: string) => `lab-${field}`,
      server: error,
    };
    expect(formErrors({ ...options, client: { name: 'Fyll i namnet.' } })).toEqual({
      byField: { name: 'Fyll i namnet.', mappings: 'unknown code duplicate' },
      summary: [
        { target: 'lab-name', message: 'Namn: Fyll i namnet.' },
        { target: 'lab-mappings', message: 'Produktkoder: unknown code duplicate' },
      ],
    });
    expect(formErrors({ ...options, client: {} }).summary).toEqual([
      { target: 'lab-name', message: 'Namn: Field required too long' },
      { target: 'lab-mappings', message: 'Produktkoder: unknown code duplicate' },
      { message: 'region_code: not yours' },
      { message: 'general problem' },
    ]);
  });
});
