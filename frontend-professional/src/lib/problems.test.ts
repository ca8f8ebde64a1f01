import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@shared/lib/http';
import { setupI18n } from '../i18n';
import { fieldErrorsOf, wordingOf } from '@shared/forms';

describe('server field errors in the user\'s language', () => {
  beforeAll(async () => {
    await setupI18n('sv');
  });

  it('words known rule codes in Swedish and keeps the server\'s words for the others', () => {
    expect(wordingOf('string_pattern_mismatch', "String should match pattern '^x$'")).toBe('Fel format.');
    expect(wordingOf('overlap', 'overlaps existing times from …')).toBe('Tiderna överlappar tider som redan finns.');
    expect(wordingOf('invalid', 'add ^CI28 so that å, ä and ö print')).toBe('add ^CI28 so that å, ä and ö print');
    expect(wordingOf(undefined, 'something')).toBe('something');
  });

  it('puts the worded message on the field it belongs to', () => {
    const error = new ApiError(422, {
      type: '/problems/validation',
      title: 'The request has invalid fields',
      status: 422,
      errors: [{ field: 'name', message: 'Field required', code: 'missing' }],
    });
    expect(fieldErrorsOf(error, ['name']).byField).toEqual({ name: 'Fyll i fältet.' });
  });
});
