import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './sign-in.js';

describe('safeReturnPath', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeReturnPath('/returns?org=RJZ#latest')).toBe('/returns?org=RJZ#latest');
    expect(safeReturnPath('/organisations/QKK')).toBe('/organisations/QKK');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    ' /returns',
    'returns',
    '',
    null,
    undefined,
  ])('sends %j home instead', (value) => {
    expect(safeReturnPath(value)).toBe('/');
  });
});
