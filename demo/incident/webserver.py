#!/usr/bin/python3
"""The web servers of the demo incident (run by record.sh inside its network namespaces).

One process serves several listeners given as ADDR:PORT[:tls] arguments, so a single "internet" namespace
can hold a news site, a CDN, a C2 server and an upload drop on their own addresses. Python's standard
library only (Debian's python3). Responses depend on the path:

  GET  /api/v1/beacon...   a small JSON task list, as a C2 server answers an implant's check-in
  POST /upload             reads the whole body, answers with the number of bytes received
  GET  anything else       an HTML page of --page-bytes bytes (default 6000), like a small site's page

Each request is written to stdout (the access log) with the client, host header and sizes, which is where
record.sh takes its upload byte count from.
"""
import argparse
import http.server
import json
import socketserver
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = 'nginx/1.22.1'
    sys_version = ''
    protocol_version = 'HTTP/1.1'
    page = b''

    def log_message(self, fmt, *args):  # one access-log line per request, flushed at once
        sys.stdout.write('%s %s:%d %s\n' % (self.log_date_time_string(), self.server.server_address[0],
                                             self.server.server_address[1], fmt % args))
        sys.stdout.flush()

    def _send(self, code, body, ctype):
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith('/api/v1/beacon'):
            body = json.dumps({'status': 'ok', 'sleep': 5, 'jitter': 0.2, 'tasks': []}).encode()
            self._send(200, body, 'application/json')
        else:
            self._send(200, self.page, 'text/html; charset=utf-8')

    def do_POST(self):
        length = int(self.headers.get('Content-Length', '0'))
        remaining, received = length, 0
        while remaining > 0:
            chunk = self.rfile.read(min(65536, remaining))
            if not chunk:
                break
            received += len(chunk)
            remaining -= len(chunk)
        sys.stdout.write('UPLOAD host=%s path=%s bytes=%d\n' % (self.headers.get('Host'), self.path, received))
        sys.stdout.flush()
        self._send(201, json.dumps({'received': received}).encode(), 'application/json')


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('listen', nargs='+', help='ADDR:PORT or ADDR:PORT:tls')
    ap.add_argument('--cert', help='PEM certificate and key for the tls listeners')
    ap.add_argument('--page-bytes', type=int, default=6000)
    args = ap.parse_args()
    line = b'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n'
    Handler.page = (b'<!doctype html><html><body>\n' + line * (args.page_bytes // len(line) + 1))[:args.page_bytes]
    servers = []
    for spec in args.listen:
        parts = spec.split(':')
        srv = Server((parts[0], int(parts[1])), Handler)
        if len(parts) > 2 and parts[2] == 'tls':
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(args.cert)
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        servers.append(srv)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    print('listening on %s' % ' '.join(args.listen), flush=True)
    threading.Event().wait()


if __name__ == '__main__':
    main()
