/**
 * Every application protocol detector, registered by service name. The order is the order probes
 * run in: cheap, strong tests first; the two that only decide with a remembered greeting (SMTP, FTP)
 * come after the rest have had their look.
 */
import type { AppProtocol } from './app-protocol.js';
import { dhcp } from './dhcp.js';
import { dns } from './dns.js';
import { ftp } from './ftp.js';
import { http } from './http.js';
import { krb, krbTcp } from './krb.js';
import { mysql } from './mysql.js';
import { ntp } from './ntp.js';
import { postgresql } from './postgresql.js';
import { quic } from './quic.js';
import { rdp } from './rdp.js';
import { sip } from './sip.js';
import { smb } from './smb.js';
import { smtp } from './smtp.js';
import { ssh } from './ssh.js';
import { tls } from './tls.js';

/** The detectors, in probe order. */
export const APP_PROTOCOLS: readonly AppProtocol[] = [tls, http, ssh, quic, dns, smb, rdp, ntp, dhcp, krb, krbTcp, sip, mysql, postgresql, smtp, ftp];

/** The detectors by service name. */
export const APP_PROTOCOLS_BY_SERVICE: ReadonlyMap<string, AppProtocol> = new Map(APP_PROTOCOLS.map((p) => [p.service, p]));
