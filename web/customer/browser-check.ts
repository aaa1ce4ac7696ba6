export interface BrowserCheck {
  webrtc: boolean;
  screenCapture: boolean;
  secureContext: boolean;
  websocket: boolean;
}

/** What this browser can do for a support session, checked before the customer asks for help. */
export function checkBrowser(): BrowserCheck {
  return {
    webrtc: typeof RTCPeerConnection === 'function',
    screenCapture: typeof navigator.mediaDevices?.getDisplayMedia === 'function',
    secureContext: window.isSecureContext,
    websocket: typeof WebSocket === 'function',
  };
}

export const isReady = (check: BrowserCheck): boolean =>
  check.webrtc && check.screenCapture && check.secureContext && check.websocket;
