/** Masks a national ID number for display: first 6 and last 4 characters kept (110105********123X). */
export function maskIdNumber(value: string): string {
  return maskMiddle(value, 6, 4);
}

/** Masks a bank card number for display: first 4 and last 4 digits kept (6222***********1234). */
export function maskBankCard(value: string): string {
  return maskMiddle(value, 4, 4);
}

function maskMiddle(value: string, head: number, tail: number): string {
  const chars = [...value.trim()];
  // Short values would leak most of their characters, so they are masked whole.
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(-tail).join('');
}
