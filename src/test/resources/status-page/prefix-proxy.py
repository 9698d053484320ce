"""A reverse proxy that mirrors Jupyter's /proxy/PORT/ for StatusPageIT.

Jupyter (jupyter-server-proxy) serves http://127.0.0.1:PORT/REST at /proxy/PORT/REST, path prefix
stripped, query kept; anything else is not the agent's. Usage: prefix-proxy.py LISTEN_PORT.
"""
import http.server
import sys
import urllib.error
import urllib.request


class Proxy(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.split("/", 3)  # "", "proxy", "PORT", "REST"
        if len(parts) < 4 or parts[1] != "proxy" or not parts[2].isdigit():
            self.send_error(404, "not under /proxy/PORT/")
            return
        target = "http://127.0.0.1:%s/%s" % (parts[2], parts[3])
        try:
            with urllib.request.urlopen(target, timeout=10) as answer:
                status, headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        self.send_response(status)
        self.send_header("Content-Type", headers.get("Content-Type", "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Proxy).serve_forever()
