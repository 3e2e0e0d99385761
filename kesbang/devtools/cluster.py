"""Several app processes behind a real nginx on loopback ports, configured from the shipped deploy/nginx.conf.

For the deployment test and the load benchmark: `running(n, workdir, env)` starts `n` `streamlit run
dashboard.py` processes (one shared cookie secret, as deploy/README.md asks) and one nginx in the
foreground with its own prefix, pid file, logs and a self-signed certificate. nginx serves the shipped
file with only what a test machine needs changed (`render`: ports, certificate, and for watching the
routing a response header naming the upstream and an access log of each request's route and upstream);
a change to the shipped file that `render` no longer finds is an error, not a silently different set-up.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kesbang.devtools.page_load import stop
from kesbang.devtools.ports import free_ports

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx.conf"
APP_PORTS = range(8720, 8760)
PROXY_PORTS = range(8760, 8780)
UPSTREAM_HEADER = "X-Kesbang-Upstream"
START_TIMEOUT_S = 120
# What the access log records of each request: the route the upstream hashed, where it went, and what.
LOG_FORMAT = "'$kesbang_route\\t$upstream_addr\\t$status\\t$request_method\\t$uri'"


def nginx_path() -> str | None:
    """nginx on PATH or where Debian's package puts it (/usr/sbin is not on every user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


@dataclass(frozen=True)
class AppProcess:
    port: int
    pid: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        """How nginx names this process in $upstream_addr."""
        return f"127.0.0.1:{self.port}"

    def memory_mb(self) -> dict:
        """Resident memory now and its peak (VmRSS, VmHWM) of this process, in MB."""
        fields = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = round(int(value.split()[0]) / 1024, 1)
        return {"rss_mb": fields.get("VmRSS"), "peak_rss_mb": fields.get("VmHWM")}

    def cpu_s(self) -> float:
        """CPU time (user + system) this process has used so far, in seconds."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Route:
    """One request as nginx's access log saw it."""
    route: str
    upstream: str
    status: int
    method: str
    uri: str


@dataclass(frozen=True)
class Cluster:
    url: str                       # https://127.0.0.1:<port>, nginx
    apps: tuple[AppProcess, ...]
    prefix: Path                   # nginx's directory: config, logs, certificate

    def routes(self) -> list[Route]:
        """Every request nginx has logged so far (a WebSocket is logged when it closes)."""
        path = self.prefix / "access.log"
        out = []
        for line in path.read_text(errors="replace").splitlines() if path.exists() else []:
            parts = line.split("\t")
            if len(parts) == 5:
                out.append(Route(parts[0], parts[1], int(parts[2]) if parts[2].isdigit() else 0, parts[3], parts[4]))
        return out


def _replace_once(text: str, pattern: str, new: str, what: str) -> str:
    out, count = re.subn(pattern, new, text, flags=re.MULTILINE)
    if count != 1:
        raise ValueError(f"deploy/nginx.conf: expected one {what} ({pattern!r}), found {count}")
    return out


def render(conf: str, *, listen: int, redirect: int, apps: list[int], cert: Path, key: Path) -> str:
    """The shipped config for this machine: loopback ports, the test certificate, and the upstream named
    in a response header (the shipped file does not tell visitors which process served them)."""
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in apps)
    conf = _replace_once(conf, r"^(    # app processes:.*\n)(?:    server 127\.0\.0\.1:\d+[^\n]*\n)+",
                         lambda m: m.group(1) + servers, "upstream server list")
    conf = _replace_once(conf, r"^    listen 80;$", f"    listen 127.0.0.1:{redirect};", "plain-HTTP listen")
    conf = _replace_once(conf, r"^    listen 443 ssl;$", f"    listen 127.0.0.1:{listen} ssl;", "TLS listen")
    conf = _replace_once(conf, r"^    ssl_certificate .*$", f"    ssl_certificate {cert};", "certificate")
    conf = _replace_once(conf, r"^    ssl_certificate_key .*$", f"    ssl_certificate_key {key};", "certificate key")
    return _replace_once(conf, r"^(    location / \{\n)",
                         lambda m: m.group(1) + f"        add_header {UPSTREAM_HEADER} $upstream_addr always;\n",
                         "location /")


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with openssl (the browser is told to accept it)."""
    openssl = shutil.which("openssl")
    if not openssl:
        raise RuntimeError("openssl not found on PATH: the nginx set-up needs it for its test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def _main_conf(prefix: Path, site: Path) -> str:
    temp = prefix / "temp"
    # A root master hands requests to workers as `nobody`, who could not write the upload buffers here.
    user = "user root;\n" if os.geteuid() == 0 else ""
    paths = "".join(f"    {name}_temp_path {temp / name};\n"
                    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\nevents {{ worker_connections 2048; }}\nhttp {{\n{paths}"
            f"    log_format kesbang_routes {LOG_FORMAT};\n    include {site};\n"
            f"    access_log {prefix / 'access.log'} kesbang_routes;\n}}\n")


def _wait(url: str, proc: subprocess.Popen, what: str, timeout_s: float) -> None:
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2, context=insecure) as resp:  # noqa: S310
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} not answering at {url} after {timeout_s:.0f} s")


def _start_app(port: int, env: dict, log_path: Path) -> subprocess.Popen:
    with open(log_path, "wb") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats",
             "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _start_nginx(prefix: Path, app_ports: list[int]) -> tuple[subprocess.Popen, str]:
    nginx = nginx_path()
    if not nginx:
        raise RuntimeError("nginx not found: install Debian's package (apt-get install -y nginx)")
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / name).mkdir(parents=True, exist_ok=True)
    cert, key = self_signed(prefix)
    listen, redirect = free_ports(PROXY_PORTS, 2)
    site = prefix / "kesbang.conf"
    site.write_text(render(SHIPPED.read_text(encoding="utf-8"), listen=listen, redirect=redirect,
                           apps=app_ports, cert=cert, key=key))
    (prefix / "nginx.conf").write_text(_main_conf(prefix, site))
    args = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log"),
            "-g", f"daemon off; pid {prefix / 'nginx.pid'};"]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=30)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the rendered config: {check.stderr.strip()}")
    with open(prefix / "nginx.out", "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    return proc, f"https://127.0.0.1:{listen}"


@contextlib.contextmanager
def running(processes: int, workdir: Path, env: dict[str, str]) -> Iterator[Cluster]:
    """`processes` app processes (environment `env` over this one's) behind nginx; all stopped on exit.
    Logs: workdir/app-<n>.log, workdir/nginx/{error,access}.log."""
    workdir.mkdir(parents=True, exist_ok=True)
    ports = free_ports(APP_PORTS, processes)
    app_env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **env}
    started: list[subprocess.Popen] = []
    try:
        for n, port in enumerate(ports, start=1):
            started.append(_start_app(port, app_env, workdir / f"app-{n}.log"))
        apps = tuple(AppProcess(port, proc.pid) for port, proc in zip(ports, started))
        for app, proc in zip(apps, started):
            _wait(app.url, proc, f"streamlit on port {app.port}", START_TIMEOUT_S)
        prefix = workdir / "nginx"
        prefix.mkdir(exist_ok=True)
        proxy, url = _start_nginx(prefix, ports)
        started.append(proxy)
        _wait(url, proxy, "nginx", 30)
        yield Cluster(url, apps, prefix)
    finally:
        for proc in reversed(started):
            stop(proc)
