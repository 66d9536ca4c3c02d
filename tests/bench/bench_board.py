"""Board fan-out benchmark: 500 WebSocket clients on one incident, one ASGI process.

Publishes through the real path (service call → commit → channel layer → sockets) and
reports delivery latency p50/p99 at a steady 20 events/s and the delivered-message rate at
saturation (publishing as fast as the path allows for 10 s), next to a bare `websockets`
broadcast server measured by the same client harness in the same run. Compression is off on
both. Run: .venv/bin/python tests/bench/bench_board.py [--layer core|pubsub|both]
[--fanout inline|channels|both] [--clients 500]. --fanout is the server's BOARD_FANOUT
(backend/incidents/fanout.py): the shared inline hub, or plain Channels group membership.
ERC_BENCH_SUFFIX keeps two people's runs on one machine apart (database, Redis prefix).

Scale-out (issue 11): --processes N starts N server processes (clients split evenly, one port
each so that each process's delivered rate is reported; `uvicorn --workers N` behaves alike):
    ERC_BENCH_SUFFIX=_ops .venv/bin/python tests/bench/bench_board.py --layer pubsub --fanout inline \
        --processes 2 --clients 2000 --rate 5 --no-bare
The client harness runs on the same machine as the servers and shares its cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import benchdb
import lean_ws

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BENCH_SUFFIX = os.environ.get("ERC_BENCH_SUFFIX", "")
BENCH_DB = f"erc_bench_board{BENCH_SUFFIX}"
BENCH_PORT = int(os.environ.get("ERC_BENCH_PORT", "8791"))  # and the next one
STEADY_RATE, STEADY_SECONDS, SATURATION_SECONDS = 20, 10, 10
CLIENT_PROCESSES = 2


def sent_time(text: str) -> float | None:
    """The publish time a message carries (the bare server's message or an ERC note event)."""
    return lean_ws.sent_at(text.encode()) if lean_ws.MARKER.decode() in text else None


# --- the client harness (identical for both servers) -----------------------------------------
def client_process(url: str, count: int, token: str | None, after: int, ready, results, stop_at) -> None:
    async def run():
        loop = asyncio.get_running_loop()
        latencies: list[float] = []
        sents: list[float] = []  # each delivery's publish stamp, to subtract the commit's own time
        span = {"first": None, "last": None}
        stop = [0.0]  # a local copy of stop_at: reading a shared Value per message costs a lock

        def record(payload: bytes, now: float) -> None:
            sent = lean_ws.sent_at(payload)
            if sent is None or (stop[0] and now > stop[0]):
                return  # the window is over; a backlog still queued does not count
            latencies.append(now - sent)
            sents.append(sent)
            if span["first"] is None:
                span["first"] = now
            span["last"] = now

        async def one():
            pong = loop.create_future()
            holder = []

            def until_pong(payload: bytes, now: float) -> None:
                # The server handles a socket's messages in order: the pong means the resume
                # is done and the socket is in the group, so timing starts from a ready board.
                if b'"pong"' in payload and not pong.done():
                    holder[0].on_message = record
                    pong.set_result(None)

            try:
                client = await lean_ws.connect(url, until_pong if token else record)
                holder.append(client)
                if token:
                    client.send_text(json.dumps({"type": "auth", "token": token}))
                    client.send_text(json.dumps({"type": "resume", "after": after}))
                    client.send_text(json.dumps({"type": "ping"}))
                    await asyncio.wait_for(pong, 120)
            except Exception:
                ready.put(0)  # counted as failed: the run goes on without it, and says so
                raise
            ready.put(1)
            return client

        # A socket that fails (closed by the server, timeout) keeps what it measured so far.
        clients = await asyncio.gather(*(one() for _ in range(count)), return_exceptions=True)
        while not stop_at.value or time.time() <= stop_at.value:
            stop[0] = stop_at.value
            await asyncio.sleep(0.05)
        for client in clients:
            if isinstance(client, lean_ws.LeanClient) and client.transport:
                client.transport.close()
        results.put({"latencies": latencies, "sents": sents, "first": span["first"], "last": span["last"]})

    asyncio.run(run())


class Clients:
    def __init__(self, url: str, total: int, token: str | None = None, after: int = 0, procs: int = CLIENT_PROCESSES):
        self.ready, self.results = mp.Queue(), mp.Queue()
        self.stop_at = mp.Value("d", 0.0)
        shares = [total // procs + (i < total % procs) for i in range(procs)]
        self.procs = [
            mp.Process(
                target=client_process, args=(url, n, token, after, self.ready, self.results, self.stop_at), daemon=True
            )
            for n in shares
        ]
        for proc in self.procs:
            proc.start()
        self.total = total

    def wait_ready(self) -> int:
        """Wait for every socket's outcome; returns how many failed to join."""
        failed = 0
        for n in range(self.total):
            failed += self.ready.get(timeout=300) == 0
            if (n + 1) % 500 == 0:
                print(f"  {n + 1} clients ready ({failed} failed)", file=sys.stderr, flush=True)
        return failed

    def collect(self, stop_at: float) -> dict:
        self.stop_at.value = stop_at
        parts = [self.results.get(timeout=180) for _ in self.procs]
        for proc in self.procs:
            proc.join(10)
        pairs = [(sent, x) for p in parts for sent, x in zip(p["sents"], p["latencies"], strict=True)]
        latencies = sorted(x for _, x in pairs)
        firsts = [p["first"] for p in parts if p["first"]]
        span = stop_at - min(firsts) if firsts else 0
        rate = len(latencies) / span if span else 0.0
        return {"received": len(latencies), "latencies": latencies, "pairs": pairs, "rate": rate}


def percentile_ms(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else float("nan")


def measure(
    urls: str | list[str], clients: int, publish, token: str | None = None, last_seq=lambda: 0, committed=None
) -> dict:
    """Clients split evenly over the server processes (one URL each); latency over all of them,
    and each process's delivered rate. `committed` (publish stamp → seconds from the stamp to
    the event's commit) gives the latency from the commit too: the fan-out's own part, without
    the database's fsync, which on this machine's disk alone has a p99 of about 50 ms."""
    urls = [urls] if isinstance(urls, str) else urls
    per_harness = max(1, CLIENT_PROCESSES // len(urls))
    figures = {}
    for label, rate, seconds in (("steady", STEADY_RATE, STEADY_SECONDS), ("saturation", None, SATURATION_SECONDS)):
        after = last_seq()
        harnesses = [
            Clients(url, clients // len(urls) + (i < clients % len(urls)), token, after, per_harness)
            for i, url in enumerate(urls)
        ]
        failed = sum(harness.wait_ready() for harness in harnesses)
        sent = publish(rate, seconds)
        # Steady: wait for the stragglers; saturation: count only what arrived in the window.
        stop_at = time.time() + (3 if rate else 0.2)
        parts = [harness.collect(stop_at) for harness in harnesses]
        latencies = sorted(x for got in parts for x in got["latencies"])
        after_commit = sorted(
            x - committed[sent] for got in parts for sent, x in got["pairs"] if committed and sent in committed
        )
        figures[label] = {
            "p50_commit": percentile_ms(after_commit, 0.5),
            "p99_commit": percentile_ms(after_commit, 0.99),
            "sent": sent,
            "received": len(latencies),
            "p50": percentile_ms(latencies, 0.5),
            "p99": percentile_ms(latencies, 0.99),
            "rate": sum(got["rate"] for got in parts),
            "per_process": [got["rate"] for got in parts],
            "failed": failed,
        }
        f = figures[label]
        print(
            f"  {label}: {f['sent']} events, {f['received']} deliveries, p50 {f['p50']:.1f} ms, p99 {f['p99']:.1f} ms, "
            f"{f['rate']:,.0f}/s (per process {', '.join(f'{r:,.0f}' for r in f['per_process'])}/s), "
            f"{failed} sockets failed to join"
            + (
                f"; from the commit: p50 {f['p50_commit']:.1f} ms, p99 {f['p99_commit']:.1f} ms" if after_commit else ""
            ),
            flush=True,
        )
    return figures


class Probe:
    """One extra client, in the publisher's process, that tells the publisher how far delivery
    has got. At saturation the publisher keeps at most WINDOW events ahead of it, so both servers
    are driven as fast as they deliver, not into an ever-growing backlog (an open-loop flood
    only measures how fast buffers grow)."""

    WINDOW = 20

    def __init__(self, url: str, token: str | None = None, after: int = 0):
        from websockets.sync.client import connect

        self.count = 0
        self.sock = connect(
            url, compression=None, max_queue=None, ping_interval=None, origin="http://127.0.0.1"
        ).__enter__()  # closed by close()
        if token:
            self.sock.send(json.dumps({"type": "auth", "token": token}))
            self.sock.send(json.dumps({"type": "resume", "after": after}))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                if sent_time(self.sock.recv()) is not None:
                    self.count += 1
        except Exception:
            return

    def wait_for(self, sent: int, deadline: float) -> None:
        while sent - self.count >= self.WINDOW and time.time() < deadline:
            time.sleep(0.0005)

    def close(self):
        self.sock.close()


def paced(send, rate: float | None, seconds: float, probe: Probe | None = None, counter=None) -> int:
    """Send at `rate` per second for `seconds`; with rate None, as fast as the probe allows."""
    n, started = 0, time.time()
    while time.time() - started < seconds:
        if rate is None and probe is not None:
            probe.wait_for(counter() if counter else n, started + seconds)
        send()
        n += 1
        if rate:
            time.sleep(max(0.0, started + n / rate - time.time()))
    return n


# --- the bare reference server ---------------------------------------------------------------
BARE_SERVER = r"""
import asyncio, sys, websockets
clients = set()
async def handler(ws):
    if ws.request.path == "/publish":
        async for message in ws:
            websockets.broadcast(clients, message)
        return
    clients.add(ws)
    try:
        await ws.wait_closed()
    finally:
        clients.discard(ws)
async def main():
    port = int(sys.argv[1])
    async with websockets.serve(handler, "127.0.0.1", port, compression=None, max_queue=None, ping_interval=None):
        print("ready", flush=True)
        await asyncio.Future()
asyncio.run(main())
"""


def bench_bare(clients: int, port: int) -> dict:
    from websockets.sync.client import connect

    server = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)], stdout=subprocess.PIPE, text=True)
    server.stdout.readline()
    try:

        def publish(rate, seconds):
            probe = Probe(f"ws://127.0.0.1:{port}/")
            try:
                with connect(f"ws://127.0.0.1:{port}/publish", compression=None, ping_interval=None) as pub:
                    return paced(lambda: pub.send(lean_ws.stamp()), rate, seconds, probe)
            finally:
                probe.close()

        return measure(f"ws://127.0.0.1:{port}/", clients, publish)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)


# --- the real path -----------------------------------------------------------------------------
def prepare_django(layer: str, fanout: str) -> None:
    os.environ.update(
        {
            "CHANNEL_LAYER": layer,
            "BOARD_FANOUT": fanout,  # the ASGI server subprocess inherits it
            "ERC_TEST_SUFFIX": f"_bench_{layer}{BENCH_SUFFIX}",
        }
    )
    benchdb.use_database(BENCH_DB)
    import django

    django.setup()
    benchdb.recreate()
    # And a clean channel layer: group members left by an interrupted run would fill up
    # (core layer) and be reported as over capacity.
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    async_to_sync(get_channel_layer().flush)()


def server_command(name: str, port: int) -> list[str]:
    """The ASGI servers compared. uvicorn is the project's (deploy/run.sh uses websockets-sansio);
    daphne is not a dependency: `.venv/bin/pip install daphne` to measure it."""
    if name == "daphne":
        daphne = ROOT / ".venv/bin/daphne"
        if not daphne.exists():
            raise SystemExit("daphne is not installed: .venv/bin/pip install daphne (measurement only)")
        return [str(daphne), "-b", "127.0.0.1", "-p", str(port), "--verbosity", "0", "backend.asgi:application"]
    protocol = {"uvicorn-sansio": "websockets-sansio", "uvicorn-websockets": "websockets"}[name]
    return [str(ROOT / ".venv/bin/uvicorn"), "backend.asgi:application", "--host", "127.0.0.1",
            "--port", str(port), "--ws", protocol, "--ws-per-message-deflate", "false", "--no-access-log",
            "--log-level", "warning"]  # fmt: skip


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_real(clients: int, port: int, server_name: str, processes: int = 1) -> dict:
    import httpx
    from django.contrib.gis.geos import Point
    from django.db import connection, transaction
    from rest_framework.authtoken.models import Token

    from backend.directory import roles
    from backend.directory import services as directory
    from backend.directory.models import Department
    from backend.incidents import services
    from backend.incidents.models import Incident

    roles.sync_roles()
    environment, _ = Department.objects.get_or_create(
        code="environment", defaults={"name": "生态环境局", "name_en": "EEB", "is_coordinator": True}
    )
    user = directory.ensure_user(
        username="bench-duty", password="x-bench-1", role=roles.DUTY_OFFICER, department=environment
    )
    token = Token.objects.get_or_create(user=user)[0].key
    incident = services.open_incident(title="bench", kind="air", location=Point(112.7, 38.4, srid=4326), actor=user)
    # BENCH_PROFILE=FILE records the server with py-spy (collapsed stacks) to see where time goes
    # (py-spy is a diagnosis tool, not a dependency: `.venv/bin/pip install py-spy` first).
    profile = os.environ.get("BENCH_PROFILE")
    prefix = [str(ROOT / ".venv/bin/py-spy"), "record", "--format", "raw", "-o", profile, "--"] if profile else []
    # --processes N: N server processes (as `uvicorn --workers N` runs them), one port each here
    # so that each process's own rate can be measured; the Redis channel layer links them.
    # Other ports than the first are taken free: fixed ones collide with another run on the machine.
    ports = [port] + [free_port() for _ in range(processes - 1)]
    servers = [
        subprocess.Popen(
            [*prefix, *server_command(server_name, ports[i])],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=open(ROOT / "var" / f"bench-board-server-{i}.log", "w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        for i in range(processes)
    ]
    urls = [f"ws://127.0.0.1:{p}/ws/incidents/{incident.pk}/" for p in ports]
    committed: dict[float, float] = {}  # publish stamp → seconds until its commit
    url = urls[0]
    try:
        for i, server in enumerate(servers):
            for _ in range(300):
                # A server that exits at once (port taken by a stray one) must not be benchmarked
                # by proxy: that stray server would answer in its place.
                if server.poll() is not None:
                    raise RuntimeError(f"the ASGI server exited (code {server.returncode}); is port {ports[i]} taken?")
                try:
                    httpx.get(f"http://127.0.0.1:{ports[i]}/accounts/login/", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)

        def publish(rate, seconds):
            # Two publishing threads at saturation: each event is a transaction (row lock, insert,
            # commit) and the database round trips, not the sockets, would otherwise set the pace.
            threads = 1 if rate else 2
            counts: list[int] = []
            sent = [0]
            last_seq = Incident.objects.get(pk=incident.pk).last_seq
            probe = Probe(url, token=token, after=last_seq) if rate is None else None

            def loop():
                try:

                    def note():
                        at = time.time()
                        text = lean_ws.stamp(at)
                        with transaction.atomic():
                            # First on-commit callback: runs right after the commit, before the push.
                            key = float(text.split("@")[1])  # what the clients parse
                            transaction.on_commit(lambda: committed.__setitem__(key, time.time() - at))
                            services.add_note(incident, text)
                        sent[0] += 1

                    counts.append(paced(note, rate / threads if rate else None, seconds, probe, lambda: sent[0]))
                finally:
                    connection.close()

            pool = [threading.Thread(target=loop) for _ in range(threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            if probe is not None:
                probe.close()
            return sum(counts)

        return measure(
            urls,
            clients,
            publish,
            token=token,
            last_seq=lambda: Incident.objects.get(pk=incident.pk).last_seq,
            committed=committed,
        )
    finally:
        for server in servers:
            server.send_signal(signal.SIGINT if profile else signal.SIGTERM)
        for server in servers:
            server.wait(60)
        # The incident stays: its log is append-only (a trigger refuses DELETE), and the bench
        # database is re-created on the next run anyway.


def show(name: str, figures: dict, clients: int) -> None:
    s, x = figures["steady"], figures["saturation"]
    print(
        f"{name:<38} steady {STEADY_RATE}/s: delivered {s['received']}/{s['sent'] * clients}, "
        f"p50 {s['p50']:.1f} ms, p99 {s['p99']:.1f} ms"
        + (
            f" (from the commit: p50 {s['p50_commit']:.1f}, p99 {s['p99_commit']:.1f} ms)"
            if not math.isnan(s["p99_commit"])
            else ""
        )
        + f" | saturation: {x['sent']} events published, "
        f"{x['rate']:,.0f} deliveries/s (p50 latency {x['p50']:.0f} ms)"
        + (f"; per process {', '.join(f'{r:,.0f}' for r in x['per_process'])}/s" if len(x["per_process"]) > 1 else ""),
        flush=True,
    )


def main() -> None:
    global STEADY_RATE
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--layer", choices=["core", "pubsub", "both"], default="both")
    parser.add_argument("--fanout", choices=["inline", "channels", "both"], default="inline")
    # deploy/run.sh runs uvicorn with websockets-sansio: it writes a frame without awaiting.
    servers = ["uvicorn-sansio", "uvicorn-websockets", "daphne"]
    parser.add_argument("--server", choices=servers, default="uvicorn-sansio")
    parser.add_argument("--bare-rate", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=1, help="ASGI server processes (clients split evenly)")
    parser.add_argument("--rate", type=float, default=STEADY_RATE, help="events/s of the steady phase")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare websockets reference server")
    parser.add_argument("--port", type=int, default=0, help="the (first) server's port; default: BENCH_PORT + 1")
    args = parser.parse_args()
    STEADY_RATE = args.rate
    mp.set_start_method("fork")
    bare_rate = args.bare_rate
    if bare_rate is None and args.no_bare:
        bare_rate = 0.0
    if bare_rate is None:
        print(f"board fan-out: {args.clients} clients, one ASGI process ({args.server}), compression off", flush=True)
        bare = bench_bare(args.clients, BENCH_PORT)
        show("bare websockets broadcast", bare, args.clients)
        bare_rate = bare["saturation"]["rate"]
    if "both" in (args.layer, args.fanout):
        # Each combination in its own interpreter: settings are read once per process.
        layers = ("pubsub", "core") if args.layer == "both" else (args.layer,)
        fanouts = ("inline", "channels") if args.fanout == "both" else (args.fanout,)
        for layer in layers:
            for fanout in fanouts:
                cmd = [sys.executable, __file__, "--layer", layer, "--fanout", fanout, "--clients", str(args.clients)]
                cmd += ["--processes", str(args.processes), "--rate", str(args.rate), "--port", str(args.port)]
                subprocess.run([*cmd, "--server", args.server, "--bare-rate", str(bare_rate)], check=True)
        return
    prepare_django(args.layer, args.fanout)
    real = bench_real(args.clients, args.port or BENCH_PORT + 1, args.server, args.processes)
    show(f"ERC path, {args.layer}, {args.fanout}, {args.server}, {args.processes} process(es)", real, args.clients)
    ratio = real["saturation"]["rate"] / bare_rate if bare_rate else 0
    print(
        f"  -> saturated delivery rate {ratio:.0%} of the bare server's (target >= 25%); "
        f"steady p99 {real['steady']['p99']:.0f} ms (target < 250 ms)",
        flush=True,
    )


if __name__ == "__main__":
    main()
