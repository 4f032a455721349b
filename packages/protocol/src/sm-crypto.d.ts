// sm-crypto 0.5.8 ships no type declarations; this covers the one function used here.
// It is a CommonJS module, so Node's ESM loader exposes it as a default export only.
declare module 'sm-crypto' {
  type Bytes = string | Uint8Array | number[];
  const smCrypto: {
    /** SM3 digest as hex; with `{ key }` (hex string or bytes) an HMAC-SM3. */
    sm3(input: Bytes, options?: { mode?: 'hmac'; key: Bytes }): string;
  };
  export default smCrypto;
}
