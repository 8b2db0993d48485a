/**
 * SMTP, told by the client's first command, EHLO or HELO (any case), after a "220" greeting, or as a
 * whole line when the greeting was missed; as Zeek's DPD signature pairs them. Attribute: helo (the
 * name the client gave), as in Zeek's smtp.log.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, Dir, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { ascii, indexOfByte } from './bytes.js';
import { commandArgument, commandPrefix, Hint, noteGreeting220 } from './greeting.js';

const EHLO = ascii('ehlo');
const HELO = ascii('helo');

/** SMTP. */
export const smtp: AppProtocol = {
  service: 'smtp',
  transports: Transport.Tcp,

  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    if (noteGreeting220(st, b, off, len)) return Verdict.No;
    const end = off + len;
    const m = Math.max(commandPrefix(b, off, end, EHLO), commandPrefix(b, off, end, HELO));
    const greeted = (st.hints & Hint.Greeting220) !== 0;
    if (m < 0 || (m === 0 && !greeted)) return Verdict.No;
    // Without the greeting, only a whole "EHLO name" line is evidence enough.
    if (m === 0 || (!greeted && indexOfByte(b, off, end, 0x0a) < 0)) return Verdict.Maybe;
    st.decide(smtp, 0);
    if (!commandArgument(st, b, off, end, EHLO.length, 'helo')) st.want = ctx.fromOrig ? Dir.Orig : Dir.Resp;
    return Verdict.Yes;
  },

  follow(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): void {
    if (commandArgument(st, b, off, off + len, EHLO.length, 'helo')) st.want &= ctx.fromOrig ? ~Dir.Orig : ~Dir.Resp;
  },
};
