/**
 * FTP, told by a "220" greeting followed by the client's USER or AUTH command (any case), as Zeek's
 * DPD signatures pair them; USER alone is also POP3's, so the greeting is required. Attribute: user,
 * as in Zeek's ftp.log.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, Dir, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { ascii } from './bytes.js';
import { commandArgument, commandPrefix, Hint, noteGreeting220 } from './greeting.js';

const USER = ascii('user');
const AUTH = ascii('auth');

/** FTP (the control connection). */
export const ftp: AppProtocol = {
  service: 'ftp',
  transports: Transport.Tcp,

  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    if (noteGreeting220(st, b, off, len) || (st.hints & Hint.Greeting220) === 0) return Verdict.No;
    const end = off + len;
    const user = commandPrefix(b, off, end, USER);
    const m = Math.max(user, commandPrefix(b, off, end, AUTH));
    if (m <= 0) return m === 0 ? Verdict.Maybe : Verdict.No;
    st.decide(ftp, 0);
    if (user === 1 && !commandArgument(st, b, off, end, USER.length, 'user')) st.want = ctx.fromOrig ? Dir.Orig : Dir.Resp;
    return Verdict.Yes;
  },

  follow(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): void {
    if (commandArgument(st, b, off, off + len, USER.length, 'user')) st.want &= ctx.fromOrig ? ~Dir.Orig : ~Dir.Resp;
  },
};
