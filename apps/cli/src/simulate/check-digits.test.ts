import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, isLuhnValid, isValidIdNumber, luhnCheckDigit } from './check-digits.ts';

describe('idNumberCheckChar', () => {
  it('matches the example number of GB 11643', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
  });

  it('rejects a wrong check character', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it('rejects a lower-case x and wrong lengths', () => {
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
    expect(isValidIdNumber('1101051949123100')).toBe(false);
  });

  it('throws on a body that is not 17 digits', () => {
    expect(() => idNumberCheckChar('1101051949123100')).toThrow(RangeError);
  });
});

describe('luhnCheckDigit', () => {
  it('matches the textbook example 79927398713', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(isLuhnValid('79927398713')).toBe(true);
  });

  it('detects a changed digit', () => {
    expect(isLuhnValid('79927398714')).toBe(false);
    expect(isLuhnValid('79927398703')).toBe(false);
  });

  it('handles even and odd payload lengths', () => {
    for (const payload of ['621226123456789012', '62258812345678']) {
      expect(isLuhnValid(payload + luhnCheckDigit(payload))).toBe(true);
    }
  });
});
