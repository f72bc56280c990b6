"""A git server over smart HTTP for the hub test: ``python git_http.py FOLDER PORT`` serves the bare
repositories in FOLDER on 127.0.0.1 through ``git http-backend`` (shallow clones need smart HTTP)."""
from __future__ import annotations

import subprocess
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


def application(folder: str):
    def app(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        env = {
            "GIT_PROJECT_ROOT": folder, "GIT_HTTP_EXPORT_ALL": "1", "PATH": "/usr/bin:/bin",
            "REMOTE_ADDR": "127.0.0.1", "GIT_PROTOCOL": environ.get("HTTP_GIT_PROTOCOL", ""),
            **{key: environ.get(key, "") for key in ("REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE")},
            "CONTENT_LENGTH": str(len(body)), "HTTP_CONTENT_ENCODING": environ.get("HTTP_CONTENT_ENCODING", ""),
        }
        output = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, content = output.partition(b"\r\n\r\n")
        status, headers = "200 OK", []
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = value.strip()
            elif name:
                headers.append((name, value.strip()))
        start_response(status, headers)
        return [content]

    return app


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    make_server("127.0.0.1", int(sys.argv[2]), application(sys.argv[1]), handler_class=_Quiet).serve_forever()
