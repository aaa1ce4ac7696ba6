/**
 * The phone verification code. Each browser reads the two DTLS certificate fingerprints of the
 * connection it actually negotiated (its own and the peer's, from getStats). Both sides sort the
 * pair, so they compute the same input; SHA-256 over it gives six digits. If someone sat in the
 * middle of the media (a compromised signaling server swapping SDP), each side would have a
 * different peer certificate and the codes read aloud over the phone would differ.
 *
 * Pure apart from the injected hash, so it is tested in Node.
 */
export async function verificationCode(
  fingerprints: [string, string],
  sha256: (data: Uint8Array) => Promise<ArrayBuffer> = (data) => crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>),
): Promise<string> {
  const normalised = fingerprints.map((f) => f.trim().toUpperCase()).sort();
  const digest = new Uint8Array(await sha256(new TextEncoder().encode(`relaydesk-verify-v1|${normalised[0]}|${normalised[1]}`)));
  const number = ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
  const digits = String(number % 1_000_000).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
