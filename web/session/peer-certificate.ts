// One DTLS certificate for every peer connection this page makes, so the verification code both
// people read (VerificationCode.tsx, from the two certificates' fingerprints) stays the same when a
// lost connection is replaced by a new one (connection-replacement.ts): a code that changes then means someone in
// the middle. Browsers generate a fresh certificate per connection unless given one, and do not
// expose it (getConfiguration().certificates stays empty), so the page makes its own, at load: the
// session's first connection comes much later (after the ticket form, the queue, the consent).

let ready: RTCCertificate | null = null;

if (typeof RTCPeerConnection !== 'undefined' && typeof RTCPeerConnection.generateCertificate === 'function') {
  // ECDSA P-256: what Chromium, Firefox and Safari generate by default.
  RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams).then(
    (certificate) => (ready = certificate),
    () => undefined, // the browser then makes one per connection, as without this module
  );
}

/** The page's certificate, once generated (null before, or where the browser cannot). */
export const pageCertificate = (): RTCCertificate | null => (ready && ready.expires > Date.now() + 60_000 ? ready : null);
