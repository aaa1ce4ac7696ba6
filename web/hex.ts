/** Bytes as lowercase hex (digests, nonces, secrets). No DOM types: unit-tested in Node. */
export const toHex = (bytes: Uint8Array | ArrayBuffer): string =>
  Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

/** `count` random bytes as hex. */
export const randomHex = (count: number): string => toHex(crypto.getRandomValues(new Uint8Array(count)));
