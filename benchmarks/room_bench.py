"""Room mode under load: N phones on loopback against `tde room`, each answering a
25-question workshop, next to the floor measured in the same run.

* **floor**: the same answers (N participants x 25 questions) sent through
  ``submit_answer`` one after another in this process, on a copy of the same pack:
  what the pack itself can take, one transaction and one disk sync per answer;
* **room**: ``tde room`` in its own process on 127.0.0.1; N simulated phones join, sign
  in, then for each question read the question page and send the answer the way our
  script does (a POST that returns once the answer is committed); send -> saved is
  timed per answer. The phones (``_lean_phone.py``) are asyncio streams on keep-alive
  connections in this process, so they take little of the CPU the server shares with
  them; ``--client requests`` runs the first client (a thread and a requests session
  per phone) for comparison.

The floor is measured before and after the room, on copies of the same pack: on a
shared machine the disk's sync time drifts, and the two readings show by how much.

Printed: throughput of each and their ratio, p50/p95/max send -> saved, answers lost
(acknowledged but not in the pack) and duplicated (more than one row for a phone's
question), the server's peak memory, CPU per answer of the server and of the phones,
HTTP requests per answer, the bytes of each page a phone loads, and the machine's load
before and after. ``--profile FILE`` samples the server with py-spy (collapsed stacks of the thread
holding the GIL: where its Python CPU goes).

    .venv/bin/python benchmarks/room_bench.py --phones 100
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tde_desktop.core.pack import Pack  # noqa: E402
from tde_desktop.core.workshop import responses  # noqa: E402
from tde_desktop.core.workshop import workshops as w  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from _lean_phone import PhoneRun, room_load  # noqa: E402

QUESTIONS = 25
KINDS = ("single_choice", "rating", "multiple_choice", "open_text", "dot_vote")
MAX_PHONES = 500


def _options() -> list[dict[str, Any]]:
    return [{"code": c, "label": {"en": c.title(), "es": c.upper()}}
            for c in ("parks", "lights", "repairs", "housing")]


def build_pack(path: Path) -> tuple[str, str, list[tuple[str, str]]]:
    """A pack with one running workshop and one open 25-question exercise."""
    questions = []
    for i in range(QUESTIONS):
        kind = KINDS[i % len(KINDS)]
        questions.append({"key": f"q{i + 1:02d}", "kind": kind, "options": _options()
                          if kind != "rating" and kind != "open_text" else [],
                          "text": {"en": f"Question {i + 1}", "es": f"Pregunta {i + 1}"}})
    with Pack.create(path, title="Room bench") as pack:
        workshop = w.create_workshop(pack, "Room bench", languages=["en", "es"])
        exercise = w.add_exercise(pack, workshop.id, type="evaluation", title="Twenty-five",
                                  config={"questions": questions})
        w.open_exercise(pack, exercise.id)
        pack.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return workshop.id, exercise.id, [(q["key"], q["kind"]) for q in questions]


def answer_fields(kind: str, n: int) -> tuple[dict[str, Any], Any]:
    """(form fields, the same answer as submit_answer takes) for phone ``n``."""
    code = ("parks", "lights", "repairs", "housing")[n % 4]
    if kind == "single_choice":
        return {"choice": code}, code
    if kind == "rating":
        return {"choice": str(1 + n % 5)}, 1 + n % 5
    if kind == "multiple_choice":
        return {"choice": [code, "parks"] if code != "parks" else [code]}, \
            [code, "parks"] if code != "parks" else [code]
    if kind == "open_text":
        text = f"Phone {n} thinks the corner lot on Main St needs lights"
        return {"text": text}, text
    return {f"n_{code}": "2", "n_housing" if code != "housing" else "n_parks": "1"}, \
        {code: 2, "housing" if code != "housing" else "parks": 1}


def floor(path: Path, workshop_id: str, exercise_id: str, questions: list[tuple[str, str]],
          phones: int) -> tuple[float, float]:
    """(seconds, CPU seconds) to store every answer through submit_answer in this
    process: the difference is the time spent waiting for the disk."""
    with Pack.open(path) as pack:
        people = [w.add_participant(pack, workshop_id).id for _i in range(phones)]
        start, cpu = time.perf_counter(), time.process_time()
        for n, person in enumerate(people):
            for key, kind in questions:
                responses.submit_answer(pack, workshop_id=workshop_id, exercise_id=exercise_id,
                                        participant_id=person, question_key=key,
                                        answer=answer_fields(kind, n)[1],
                                        response_id=str(uuid.uuid4()))
        return time.perf_counter() - start, time.process_time() - cpu


def phone(n: int, url: str, questions: list[tuple[str, str]], start: threading.Event,
          run: PhoneRun, deadline: float, think: float = 0.0) -> None:
    import random

    import requests

    pace = random.Random(n)
    http = requests.Session()
    http.headers["Accept-Language"] = "es" if n % 2 else "en"
    base = url.split("/j/")[0]
    try:
        reply = http.get(url, timeout=30)
        run.pages["welcome"] = len(reply.content)
        csrf = re.search(r'name="csrf" value="([^"]+)"', reply.text)
        assert csrf, reply.text
        token = csrf.group(1)
        start.wait()
        reply = http.post(base + "/start", data={"csrf": token, "consent": "yes"}, timeout=30)
        for i, (key, kind) in enumerate(questions):
            if time.monotonic() > deadline:
                run.errors.append("out of time")
                return
            if i:
                for _attempt in range(20):
                    reply = http.get(f"{base}/q?k={key}", timeout=30)
                    if reply.status_code != 429:
                        break
                    time.sleep(0.2)
            run.pages[kind] = len(reply.content)
            action = re.search(r'action="(/a/[^"]+)"', reply.text)
            rid = re.search(r'name="rid" value="([^"]+)"', reply.text)
            assert action, reply.text[:300]
            assert rid, reply.text[:300]
            fields, _raw = answer_fields(kind, n)
            if think:  # a person reads and taps: think/2 to 3*think/2 seconds
                time.sleep(think * (0.5 + pace.random()))
            sent = time.perf_counter()
            for _attempt in range(20):
                saved = http.post(base + action.group(1), timeout=30,
                                  headers={"X-Requested-With": "tde-room"},
                                  data={"csrf": token, "rid": rid.group(1), **fields})
                if saved.status_code != 429:
                    break
                time.sleep(0.2)  # slowed down: our script retries the same answer
            if saved.status_code == 200 and saved.json().get("saved"):
                run.latencies.append(time.perf_counter() - sent)
                run.acked.append(rid.group(1))
            else:
                run.errors.append(f"{saved.status_code} {saved.text[:80]}")
    except (OSError, AssertionError) as exc:  # requests' errors are OSErrors
        run.errors.append(type(exc).__name__)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (Linux VmHWM), or -1 where unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return -1.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process and its child processes have used (Linux),
    or -1 where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return ((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
                + sum(max(0.0, cpu_seconds(int(child))) for child in children))
    except (OSError, ValueError, IndexError):
        return -1.0


def _py_spy() -> str:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy") or "py-spy"


def _load() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return " ".join(f"{x:.2f}" for x in load)


def _threaded_load(url: str, questions: list[tuple[str, str]], phones: int, limit_s: float,
                   think: float, on_start: Any) -> tuple[list[Any], float]:
    """The phones as threads with `requests` sessions (the bench's first client)."""
    start = threading.Event()
    runs = [PhoneRun() for _i in range(phones)]
    deadline = time.monotonic() + limit_s
    threads = [threading.Thread(target=phone, args=(n, url, questions, start, runs[n],
                                                    deadline, think), daemon=True)
               for n in range(phones)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # every phone has loaded the welcome page
    on_start()
    began = time.perf_counter()
    start.set()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic() + 30))
    return runs, time.perf_counter() - began


def room(path: Path, questions: list[tuple[str, str]], phones: int, limit_s: float,
         think: float, client: str, profile: str | None, bare: int = 0) -> dict[str, Any]:
    """The phones against ``tde room`` (or, ``bare``, against ``_bare_room.py`` with that
    many processes)."""
    port = _free_port()
    command = ([str(ROOT / "benchmarks" / "_bare_room.py"), str(path), str(port), str(bare)]
               if bare
               else ["-m", "tde_desktop.cli.main", "room", str(path), "--host", "127.0.0.1",
                     "--port", str(port)])
    proc = subprocess.Popen([sys.executable, *command], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    spy = None
    try:
        assert proc.stdout is not None
        url = re.search(r"http://\S+/j/\w+", proc.stdout.readline())
        assert url, "tde room printed no address"
        static = {name: len(urlopen(f"http://127.0.0.1:{port}/static/{name}",
                                    timeout=10).read())
                  for name in ("room.js", "room.css")}
        readings: dict[str, float] = {}

        def on_start() -> None:
            readings.update(cpu=cpu_seconds(proc.pid), client=time.process_time())

        if profile:  # sampled from the outside: the server runs as it always does
            spy = subprocess.Popen([_py_spy(), "record", "--pid", str(proc.pid), "--rate",
                                    "250", "--format", "raw", "--threads", "--gil", "--nonblocking",
                                    "--output", profile], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            time.sleep(1.0)
        if client == "requests":
            runs, wall = _threaded_load(url.group(0), questions, phones, limit_s, think,
                                        on_start)
        else:
            runs, wall = asyncio.run(room_load(url.group(0), questions, phones, limit_s,
                                               think, answer_fields, on_start))
        memory = peak_rss_mb(proc.pid)
        cpu = cpu_seconds(proc.pid) - readings["cpu"]
        client_cpu = time.process_time() - readings["client"]
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                spy.wait(timeout=20)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    pages: dict[str, int] = dict(static)
    for run in runs:
        for name, size in run.pages.items():
            pages[name] = max(pages.get(name, 0), size)
    return {"wall": wall, "runs": runs, "memory": memory, "pages": pages, "cpu": cpu,
            "client_cpu": client_cpu, "workers": bare}


def count_rows(path: Path, acked: list[str]) -> tuple[int, int, int]:
    """(rows stored, acknowledged answers missing, phone questions with more than one row)."""
    with Pack.open(path, read_only=True) as pack:
        ids = {r[0] for r in pack.conn.execute("SELECT id FROM _tde_responses")}
        dup = pack.conn.execute(
            "SELECT count(*) FROM (SELECT participant_id, question_key FROM _tde_responses "
            "GROUP BY participant_id, question_key HAVING count(*) > 1)").fetchone()[0]
    return len(ids), len(set(acked) - ids), int(dup)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--limit", type=float, default=300, help="seconds at most")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a person takes per question (0: send at once)")
    parser.add_argument("--client", choices=("lean", "requests"), default="lean",
                        help="simulated phones: asyncio keep-alive streams (lean), or one "
                        "thread with a requests session each")
    parser.add_argument("--profile", metavar="FILE", help="sample the server with py-spy "
                        "(collapsed stacks in FILE; py-spy must be installed)")
    parser.add_argument("--bare", action="store_true", help="also run the same phones "
                        "against _bare_room.py, the least any Python server does per "
                        "answer (needs aiohttp: pip install -e .[bench])")
    parser.add_argument("--bare-workers", type=int, default=1, metavar="N",
                        help="run the bare server as N processes on one socket (Linux, "
                        "macOS): does a second core help?")
    args = parser.parse_args()
    phones = max(1, min(args.phones, MAX_PHONES))
    load_before = _load()
    tmp = Path(tempfile.mkdtemp(prefix="room-bench-", dir=ROOT / "build"
                                if (ROOT / "build").is_dir() else None))
    try:
        base = tmp / "base.tdepack"
        workshop_id, exercise_id, questions = build_pack(base)
        for name in ("floor.tdepack", "floor2.tdepack", "room.tdepack", "bare.tdepack"):
            shutil.copy(base, tmp / name)
        answers = phones * QUESTIONS
        # The floor before and after the room: the disk's sync time drifts on a shared
        # machine, and the two readings show by how much.
        floors = [floor(tmp / "floor.tdepack", workshop_id, exercise_id, questions, phones)]
        result = room(tmp / "room.tdepack", questions, phones, args.limit, args.think,
                      args.client, args.profile)
        if args.bare:
            result["bare"] = room(tmp / "bare.tdepack", questions, phones, args.limit,
                                  args.think, args.client, None,
                                  bare=max(1, args.bare_workers))
        floors.append(floor(tmp / "floor2.tdepack", workshop_id, exercise_id, questions,
                            phones))
        runs: list[PhoneRun] = result["runs"]
        acked = [rid for run in runs for rid in run.acked]
        latencies = sorted(x for run in runs for x in run.latencies)
        errors = [e for run in runs for e in run.errors]
        stored, lost, duplicated = count_rows(tmp / "room.tdepack", acked)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(args, phones, answers, floors, result, acked, latencies, errors,
           (stored, lost, duplicated), (load_before, _load()))
    return 0 if not lost and not duplicated and not errors else 1


def report(args: argparse.Namespace, phones: int, answers: int,
           floors: list[tuple[float, float]], result: dict[str, Any], acked: list[str],
           latencies: list[float], errors: list[str], rows: tuple[int, int, int],
           loads: tuple[str, str]) -> None:
    """Print the run's figures (everything a table row needs)."""
    stored, lost, duplicated = rows
    floor_s = statistics.mean(s for s, _cpu in floors)
    floor_rate = answers / floor_s
    room_rate = len(acked) / result["wall"]
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    worst = latencies[-1] * 1000 if latencies else float("nan")
    print(f"room_bench: {phones} phones x {QUESTIONS} questions = {answers} answers, "
          f"think {args.think:g} s, client {args.client}, {os.cpu_count()} CPUs, "
          f"load before {loads[0]}, after {loads[1]}")
    print(f"{'':34}{'answers':>9}{'seconds':>9}{'answers/s':>11}{'CPU ms/ans':>11}"
          f"{'disk ms/ans':>12}")
    for label, (seconds, cpu) in zip(("floor before the room", "floor after the room"),
                                     floors, strict=True):
        # what the floor did not spend on its CPU it spent waiting, mostly for the disk
        print(f"{label:34}{answers:>9}{seconds:>9.2f}{answers / seconds:>11.1f}"
              f"{cpu * 1000 / answers:>11.2f}{(seconds - cpu) * 1000 / answers:>12.2f}")
    print(f"{'floor (mean of the two)':34}{answers:>9}{floor_s:>9.2f}{floor_rate:>11.1f}")
    print(f"{'room: tde room over HTTP':34}{len(acked):>9}{result['wall']:>9.2f}"
          f"{room_rate:>11.1f}")
    print(f"{'throughput ratio room / floor':34}{room_rate / floor_rate:>29.2f}")
    each = " / ".join(f"{room_rate * seconds / answers:.2f}" for seconds, _cpu in floors)
    print(f"{'  ratio to the floor before / after':34}{each:>29}")
    print(f"{'send -> saved p50 / p95 / max (ms)':34}{p50:>9.1f}{p95:>9.1f}{worst:>11.1f}")
    if "bare" in result:
        _report_bare(result["bare"], floor_rate)
    print(f"{'acknowledged / stored rows':34}{len(acked):>9}{stored:>9}")
    print(f"{'lost / duplicated / phone errors':34}{lost:>9}{duplicated:>9}{len(errors):>11}")
    print(f"{'server peak memory (MB)':34}{result['memory']:>29.1f}")
    per = 1000 / max(1, len(acked))
    print(f"{'CPU per answer: server / phones (ms)':34}{result['cpu'] * per:>9.2f}"
          f"{result['client_cpu'] * per:>9.2f}")
    # The server's Python runs on one core at a time (the GIL): this is the most answers
    # a second it could serve, whatever the disk, with a core to itself.
    print(f"{'server one-core ceiling (answers/s)':34}"
          f"{1 / max(1e-9, result['cpu'] / max(1, len(acked))):>29.1f}")
    runs = result["runs"]
    print(f"{'HTTP requests / 429s per answer':34}"
          f"{sum(r.requests for r in runs) * per / 1000:>9.2f}"
          f"{sum(r.too_fast for r in runs) * per / 1000:>9.3f}")
    print("bytes per page (largest seen):")
    for name, size in sorted(result["pages"].items()):
        print(f"  {name:32}{size:>29,}")
    if errors:
        print("first errors:", errors[:5])


def _report_bare(bare: dict[str, Any], floor_rate: float) -> None:
    """The bound: the same phones against the bare aiohttp server."""
    acked = sum(len(run.acked) for run in bare["runs"])
    errors = sum(len(run.errors) for run in bare["runs"])
    rate = acked / bare["wall"]
    label = f"bare aiohttp, {bare['workers']} process(es)"
    print(f"{label:34}{acked:>9}{bare['wall']:>9.2f}{rate:>11.1f}")
    print(f"{'  its ratio to the floor':34}{rate / floor_rate:>29.2f}")
    print(f"{'  its CPU per answer: server / phones':34}"
          f"{bare['cpu'] * 1000 / max(1, acked):>9.2f}"
          f"{bare['client_cpu'] * 1000 / max(1, acked):>9.2f}   errors {errors}")


if __name__ == "__main__":
    sys.exit(main())
