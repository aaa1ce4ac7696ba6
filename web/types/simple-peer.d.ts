// @thaunknown/simple-peer ships no types; this declares the part of its API we use.
declare module '@thaunknown/simple-peer' {
  export interface SimplePeerOptions {
    initiator?: boolean;
    config?: RTCConfiguration;
    stream?: MediaStream;
    trickle?: boolean;
    channelName?: string;
  }
  export type SignalData = Record<string, unknown>;
  export default class Peer {
    constructor(opts?: SimplePeerOptions);
    readonly connected: boolean;
    readonly destroyed: boolean;
    readonly _pc: RTCPeerConnection;
    signal(data: SignalData | string): void;
    send(data: string | ArrayBufferView | ArrayBuffer | Blob): void;
    negotiate(): void;
    destroy(err?: Error): void;
    on(event: 'signal', listener: (data: SignalData) => void): this;
    on(event: 'connect' | 'close', listener: () => void): this;
    on(event: 'data', listener: (data: Uint8Array) => void): this;
    on(event: 'stream', listener: (stream: MediaStream) => void): this;
    on(event: 'track', listener: (track: MediaStreamTrack, stream: MediaStream) => void): this;
    on(event: 'error', listener: (err: Error & { code?: string }) => void): this;
  }
}
