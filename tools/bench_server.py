"""A running Streamlit server for the benchmark, and a client that speaks its websocket protocol.

The server is `streamlit run serve.py` (through tools/bench_sqlrec.py, which records the statements
each rerun issues) on a free port, against a copy of the database. The client does what the
browser does: it opens /_stcore/stream with the login cookie (csm_session: the
token of a server-side session opened on the file before the server starts, as the login form
opens one — the app restores the session from it exactly as after a reload,
csm.web.ui.restore_session), sends a
BackMsg rerun_script (the page's URL path, the query string, the hashes of the large messages it
already holds, as the browser's message cache does) and reads ForwardMsgs until script_finished.
A rerun's time is from the send to that message: the page script, the app's shell, Streamlit's
post-script garbage collection, serialisation, compression and the websocket are all inside.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from csm import config
from csm.actor import DEFAULT_TZ
from tools import bench_sqlrec

COOKIE_NAME = "csm_session"  # csm.web.ui.COOKIE_NAME
START_TIMEOUT = 120  # seconds until the server answers its health check
RERUN_TIMEOUT = 600  # seconds for one rerun (a cold rerun on the large data set, a busy machine)


def percentile(samples: list[float], q: float) -> float:
    """Nearest rank: the smallest sample with at least q% of the samples at or below it."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def summary(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0, "p50": None, "p95": None}
    return {"n": len(samples), "p50": round(statistics.median(samples), 1),
            "p95": round(percentile(samples, 95), 1)}


def run(coro):
    """asyncio.run, also where this thread already runs an event loop (Playwright's sync API
    leaves one behind in a test process): then the coroutine runs on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


# ---- the server ------------------------------------------------------------------------------
@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path
    sql_log: Path
    cookie_key: str
    tokens: dict[str, str] = field(default_factory=dict)  # username -> login session token (cookie)
    db: str = ""  # the database file it serves (its control channel: tools/soak.py asks it)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/_stcore/stream"

    def rss_mb(self) -> float | None:
        """Resident memory of the server process (/proc/<pid>/status VmRSS)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            return None
        return None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def sql_offset(self) -> int:
        return bench_sqlrec.offset(str(self.sql_log))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


# The served entry: serve.py (app.py with the login cookie's routes, st.App) as in production;
# CSM_BENCH_ENTRY=app.py measures the bare script (Streamlit's own server) for a comparison.
ENTRY = os.environ.get("CSM_BENCH_ENTRY", "serve.py")


def is_url(db_path: str) -> bool:
    """A PostgreSQL URL (CSM_DB_URL, docs/storage.md) rather than a DuckDB file."""
    return db_path.split(":", 1)[0] in ("postgresql", "postgres")


def start_server(db_path: str, work_dir: Path, cookie_key: str, st_options: list[str] | None = None,
                 tokens: dict[str, str] | None = None) -> Server:
    """`streamlit run serve.py` (with the statement recorder) in its own process group. `db_path`:
    a DuckDB file, or a PostgreSQL URL (the server gets it as CSM_DB_URL). `tokens`: login
    sessions opened already (several servers on one PostgreSQL store share them)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    tokens = tokens or login_sessions(db_path)  # before the server holds the file
    port = free_port()
    log_path = work_dir / f"streamlit-{port}.log"
    sql_log = work_dir / f"sql-{port}.bin"
    cmd = [sys.executable, "-m", "tools.bench_sqlrec", "run", ENTRY, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false", *[f"--{o}" for o in (st_options or [])]]
    store = {"CSM_DB_URL": db_path} if is_url(db_path) else {"CSM_DB_PATH": db_path, "CSM_DB_URL": ""}
    env = {**os.environ, **store, "CSM_COOKIE_KEY": cookie_key, "CSM_LOGIN_SLEEP": "0",
           "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),  # as make run and deploy/ start it
           "CSM_DATA_DIR": str(work_dir / "data"), "CSM_UPLOADS_DIR": str(work_dir / "uploads"),
           bench_sqlrec.LOG_ENV: str(sql_log), "PYTHONPATH": str(config.ROOT)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(cmd, cwd=config.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = Server(process, port, log_path, sql_log, cookie_key, tokens, db_path)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{server.log()[-3000:]}")
        if _healthy(server.url):
            return server
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT} s:\n{server.log()[-3000:]}")


def stop_server(server: Server) -> None:
    """The server and anything it started (its own process group, by its id)."""
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)


def login_sessions(db_path: str) -> dict[str, str]:
    """A server-side login session per demo account (csm.org.sessions, as the login form opens
    one), opened on the file before the server holds it: the client sends its token as the
    browser sends the login cookie after a reload. First the copy's escalation backlog is cleared,
    as a running installation's is: the demo was generated without a serving process, so
    thousands of its complaints wait for escalation, which the server's first timer run (minute
    5) would do all at once in the middle of the measurements — a one-off catch-up, not the steady
    state the benchmark and the soak measure (later runs escalate what falls due meanwhile)."""
    from csm.db import open_database
    from csm.ops import service
    from csm.org import sessions, users
    from tools.demo import DEMO_USERS

    db = open_database(db_path)
    try:
        service.escalate(db)
        tokens = {}
        for username, *_ in DEMO_USERS:
            user = users.get(db, username)
            if user is not None and user["active"]:
                tokens[username] = sessions.open_session(db, user["id"])
        if not is_url(db_path):
            db.checkpoint()
        return tokens
    finally:
        db.close()


# ---- the client ------------------------------------------------------------------------------
def _browser_offset(tz: str) -> int:
    """JavaScript's getTimezoneOffset(): minutes to add to local time to get UTC."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    offset = datetime.now(UTC).astimezone(ZoneInfo(tz)).utcoffset()
    return -int(offset.total_seconds() // 60) if offset is not None else 0


@dataclass
class Rerun:
    ms: float
    kb: float                  # ForwardMsg bytes received (after websocket decompression)
    messages: int
    runs: int                  # script runs until the last finish (a st.rerun() inside adds one)
    problems: list[str] = field(default_factory=list)
    sql: tuple[int, int] = (0, 0)  # the statement log's offsets around this rerun


class Client:
    """One browser tab: one websocket, one Streamlit session, logged in by its cookie."""

    def __init__(self, server: Server, username: str, lang: str = "zh"):
        self.server = server
        self.username = username
        self.lang = lang
        self.ws = None
        self.cached: set[str] = set()    # hashes of the large messages received (the browser's cache)
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.current: str | None = None

    async def connect(self) -> Client:
        from websockets.asyncio.client import connect

        token = self.server.tokens.get(self.username, "")  # unknown user: no session, the login form
        self.ws = await connect(self.server.ws_url, subprotocols=["streamlit"],
                                additional_headers={"Cookie": f"{COOKIE_NAME}={token}"},
                                max_size=None, open_timeout=60, ping_interval=None, close_timeout=5)
        return self

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def clear_cache(self) -> None:
        """As the app menu's "Clear cache": st.cache_data and st.cache_resource of the whole
        process (the database handle too) and this session's state."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.clear_cache = True
        await self.ws.send(msg.SerializeToString())

    async def rerun(self, page: str, query: str = "", timeout: float = RERUN_TIMEOUT) -> Rerun:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = page
        if page in self.pages:
            state.page_script_hash = self.pages[page]
        state.cached_message_hashes.extend(sorted(self.cached))
        state.context_info.timezone = DEFAULT_TZ  # the browser's zone: the company's default one
        state.context_info.timezone_offset = _browser_offset(DEFAULT_TZ)
        state.context_info.locale = "zh-CN"
        state.context_info.url = f"{self.server.url}/{page}" + (f"?{query}" if query else "")
        sql_from = self.server.sql_offset()
        problems: list[str] = []
        received = n = runs = 0
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        deadline = start + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.perf_counter()))
            received += len(raw)
            n += 1
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.metadata.cacheable and fwd.hash:
                self.cached.add(fwd.hash)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                self.current = fwd.navigation.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    problems.append(f"exception: {element.exception.type}: {element.exception.message[:200]}")
                elif which == "alert" and element.alert.format == 1:  # st.error
                    problems.append(f"error shown: {element.alert.body[:200]}")
            elif kind == "page_not_found":
                problems.append("page not found")
            elif kind == "script_finished":
                runs += 1
                if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    break
        ms = (time.perf_counter() - start) * 1000
        if not self.pages:  # st.navigation never ran: the login screen (no session for the cookie)
            problems.append("page not reached (the login screen)")
        elif self.pages.get(page) != self.current:
            problems.append(f"page not reached (shown: {self._shown()})")
        return Rerun(ms, received / 1024, n, runs, problems, (sql_from, self.server.sql_offset()))

    def _shown(self) -> str:
        return next((p for p, h in self.pages.items() if h == self.current), "?")


# ---- what is measured ------------------------------------------------------------------------
@dataclass
class PageTiming:
    page: str
    role: str
    warm: list[Rerun] = field(default_factory=list)
    cold: list[Rerun] = field(default_factory=list)
    first: Rerun | None = None  # the first visit in a new session (warm server)
    error: str | None = None


async def time_page(server: Server, page: str, username: str, warm_runs: int, cold_runs: int,
                    budget_s: float = 60.0, min_runs: int = 3) -> PageTiming:
    """A new session opens the page, then `warm_runs` reruns, then `cold_runs` times: clear the
    caches, rerun. A page far over its target stops after `budget_s` (at least `min_runs`)."""
    out = PageTiming(page, username)
    client = Client(server, username)
    try:
        await client.connect()
        out.first = await client.rerun(page)
        if out.first.problems:
            out.error = "; ".join(out.first.problems)
            return out
        for runs, series, cold in ((warm_runs, out.warm, False), (cold_runs, out.cold, True)):
            began = time.perf_counter()
            for i in range(runs):
                if i >= min_runs and time.perf_counter() - began > budget_s:
                    break
                if cold:
                    await client.clear_cache()
                r = await client.rerun(page)
                if r.problems:
                    out.error = "; ".join(r.problems)
                    return out
                series.append(r)
    except Exception as exc:  # one broken page must not stop the others' figures
        out.error = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        await client.close()
    return out


async def ramp(server: Server | list[Server], page: str, usernames: list[str], levels: list[int],
               seconds: float, limit_ms: float = 500.0, say=print) -> list[dict]:
    """For 1, 2, 4 … clients each rerunning `page` back to back for `seconds`: reruns per second
    (completed / time) and the latency percentiles. Stops at a level over limit_ms that no longer
    adds 10 % throughput (the process is saturated), or after the last level. Several servers
    (app processes on one PostgreSQL store): client i talks to server i mod n, as a load balancer
    with sticky sessions spreads them."""
    servers = server if isinstance(server, list) else [server]
    out = []
    for n in levels:
        clients = [Client(servers[i % len(servers)], usernames[i % len(usernames)]) for i in range(n)]
        try:
            for c in clients:
                await c.connect()
                await c.rerun(page)  # the session's first visit, not counted
            latencies: list[float] = []
            problems: list[str] = []
            failed: list[float] = []  # reruns that did not show the page (a login screen, an error)
            stop_at = time.perf_counter() + seconds

            async def loop(c: Client, stop_at=stop_at, latencies=latencies, problems=problems, failed=failed):
                while time.perf_counter() < stop_at:
                    r = await c.rerun(page)
                    if r.problems:  # not a rerun served: not counted in the rate
                        problems.extend(r.problems)
                        failed.append(r.ms)
                    else:
                        latencies.append(r.ms)

            began = time.perf_counter()
            await asyncio.gather(*(loop(c) for c in clients))
            elapsed = time.perf_counter() - began
        finally:
            for c in clients:
                await c.close()
        level = {"clients": n, "reruns": len(latencies), "seconds": round(elapsed, 1),
                 "per_s": round(len(latencies) / elapsed, 2) if elapsed else 0.0, **summary(latencies),
                 "failed": len(failed), "problems": sorted(set(problems))[:3]}
        out.append(level)
        say(f"ramp {n} clients" + (f" on {len(servers)} processes" if len(servers) > 1 else "")
            + f": {level['per_s']} reruns/s, p50 {level['p50']} ms, p95 {level['p95']} ms"
            + (f", {len(failed)} reruns NOT the page: {level['problems']}" if failed else ""))
        if level["p95"] is None or (level["p95"] > limit_ms and len(out) > 1
                                    and level["per_s"] < out[-2]["per_s"] * 1.1):
            break  # over the limit and no longer gaining throughput: saturated
    return out


async def memory(server: Server, page: str, username: str, levels: list[int], settle_s: float,
                 say=print) -> dict:
    """RSS of the server with 1, 10, 20 … open sessions (each has shown `page` once), and after
    they have all closed."""
    clients: list[Client] = []
    out: dict = {"page": page, "role": username, "start": server.rss_mb()}
    try:
        for n in levels:
            while len(clients) < n:
                c = Client(server, username)
                await c.connect()
                clients.append(c)
                await c.rerun(page)
            await asyncio.sleep(settle_s)
            out[str(n)] = server.rss_mb()
            say(f"memory with {n} sessions: {out[str(n)]} MB")
    finally:
        for c in clients:
            await c.close()
    await asyncio.sleep(settle_s * 2)
    out["closed"] = server.rss_mb()
    say(f"memory after they closed: {out['closed']} MB")
    return out
