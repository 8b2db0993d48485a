/**
 * What application detection keeps per connection. The flow table creates one per connection and
 * hands it back to AppDetector.inspect with each payload packet; once `done` is set, inspect returns
 * at its first line, so a decided connection costs one flag check per packet.
 */
import type { AppProtocol } from './app-protocol.js';

/** Per-connection application detection: the result, and the little state needed to reach it. */
export class AppFlowState {
  /** The detected service, with Zeek's name ('http', 'ssl', 'dns', ...), or null while unknown. */
  service: string | null = null;
  /** Attributes read from the payload (e.g. sni, host, method, uri, client, server), or null. */
  attrs: Record<string, string> | null = null;
  /** True once nothing more will be learnt from this connection: inspect then does nothing. */
  done = false;

  /** The protocol module that said Yes; internal to app-detect. */
  protocol: AppProtocol | null = null;
  /** Directions (Dir bits) the decided protocol still wants to see, for attributes. */
  want = 0;
  /** Protocol-specific observations made before a decision (Hint bits), e.g. a '220' greeting. */
  hints = 0;
  /** Payload packets inspected per direction. */
  origPkts = 0;
  respPkts = 0;
  /** The start of each direction's TCP stream, kept only while a probe needs more of it. */
  origBuf: Uint8Array | null = null;
  origLen = 0;
  respBuf: Uint8Array | null = null;
  respLen = 0;
  /** A protocol module's own state (QUIC's Initial decryption), created only when it needs one. */
  aux: object | null = null;

  /** Records the decision: the service and the directions whose data is still wanted. */
  decide(protocol: AppProtocol, want: number): void {
    this.protocol = protocol;
    this.service = protocol.service;
    this.want = want;
  }

  /** Sets an attribute unless it is already set (attribute strings are made once per connection). */
  setAttr(key: string, value: string): void {
    const a = (this.attrs ??= {});
    if (!(key in a)) a[key] = value;
  }

  /** True when the attribute is set (so a probe can skip building its string). */
  hasAttr(key: string): boolean {
    return this.attrs !== null && key in this.attrs;
  }

  /**
   * Lets the caller say what it already knows (e.g. the DNS decoder parsed a message on this
   * connection): sets the service unless content already decided one, and ends detection.
   */
  confirm(service: string): void {
    if (this.service === null) this.service = service;
    this.finish();
  }

  /** Ends detection and drops the buffers. */
  finish(): void {
    this.done = true;
    this.want = 0;
    this.origBuf = this.respBuf = null;
    this.origLen = this.respLen = 0;
    this.aux = null;
  }
}

/** Creates the detection state for a new connection. */
export function newAppFlowState(): AppFlowState {
  return new AppFlowState();
}
