#!/usr/bin/env python3
"""A Vigil remote worker in plain Python (standard library only).

It long-polls a Vigil server for jobs, heartbeats with progress while it works, and completes
each job with a result, or fails it, retryable or not, reporting the model calls it made as
`usage` (tokens, duration, outcome) so the server prices them and sums them in the job's usage.
Any language can do the same with four HTTP calls; see API.md ("Remote workers" and "LLM usage,
cost, energy, carbon").

    python3 examples/python_worker.py --url http://127.0.0.1:8080 --lanes cognition,social

A job fails on purpose when its payload says so ({"fail": "retryable"} or {"fail": "permanent"}),
or at random with --fail-rate. One line is printed per job.
"""

import argparse
import json
import os
import random
import socket
import sys
import time
import urllib.error
import urllib.request


class LeaseLost(Exception):
    """The server answered 409: our lease expired and the job belongs to someone else now."""


class Vigil:
    """The four calls of the remote-worker protocol."""

    def __init__(self, url, token=None, timeout=10):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def claim(self, worker_id, lanes, types, max_jobs, wait_ms, lease_ms, slots):
        # slots: how many jobs this worker runs at once. The server counts every live worker's
        # slots as one fleet, so that chat keeps its reserved workers while others dream.
        body = {"worker_id": worker_id, "max": max_jobs, "wait_ms": wait_ms, "lease_ms": lease_ms,
                "slots": slots}
        if lanes:
            body["lanes"] = lanes
        if types:
            body["types"] = types
        # the server holds a claim open for up to wait_ms: allow for it in the socket timeout
        return self._post("/api/v1/claim", body, timeout=wait_ms / 1000 + self.timeout)["jobs"]

    def heartbeat(self, job, progress, message, lease_ms):
        body = {"lease_token": job["lease_token"], "progress": progress, "message": message,
                "lease_ms": lease_ms}
        # A server that takes usage with heartbeats could be sent the calls made since the last
        # heartbeat (and those left out of complete/fail); this example reports them all at the end:
        # body["usage"] = calls_since_last_heartbeat
        return self._post(f"/api/v1/jobs/{job['id']}/heartbeat", body)

    def complete(self, job, result, usage=None):
        """Completes the attempt; `usage`: the model calls it made (see ModelCalls)."""
        body = {"lease_token": job["lease_token"], "result": result}
        if usage:
            body["usage"] = usage
        return self._post(f"/api/v1/jobs/{job['id']}/complete", body)

    def fail(self, job, error_type, message, retryable, stack=None, fingerprint=None, usage=None):
        """Fails the attempt. The server groups failures by the frames of `stack` (a traceback, as
        traceback.format_exc() writes it), or by `fingerprint` (a list of strings) when given.
        `usage`: the model calls the attempt made; what they cost shows as the job's retry cost."""
        error = {"type": error_type, "message": message}
        if stack:
            error["stack"] = stack
        if fingerprint:
            error["fingerprint"] = fingerprint
        body = {"lease_token": job["lease_token"], "retryable": retryable, "error": error}
        if usage:
            body["usage"] = usage
        return self._post(f"/api/v1/jobs/{job['id']}/fail", body)

    def _post(self, path, body, timeout=None):
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"})
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            if e.code == 409:
                raise LeaseLost(problem_detail(e)) from None
            raise RuntimeError(f"{path}: HTTP {e.code}: {problem_detail(e)}") from None


def problem_detail(error):
    """The one-line detail of an application/problem+json answer."""
    try:
        problem = json.loads(error.read())
        return problem.get("detail") or problem.get("title") or str(error)
    except (ValueError, AttributeError):
        return str(error)


class ModelCalls:
    """The model calls of one attempt, as `usage` records: one per call, with the tokens the
    provider reported (input_tokens counts cached ones too), how long it took and its outcome.
    Only counts and names: never the prompt or the answer."""

    def __init__(self, provider, model):
        self.provider = provider
        self.model = model
        self.records = []

    def call(self, work, fails=False):
        """Runs `work()` as one (simulated) model call and records it. A call that fails still
        spent its prompt: it is recorded as an error with its input tokens and no output."""
        started = time.monotonic()
        work()
        input_tokens = random.randint(600, 2000)  # a real client reads these from the response
        cached = random.choice([0, input_tokens // 2])
        self.records.append({
            "provider": self.provider, "model": self.model,
            "input_tokens": input_tokens, "cached_input_tokens": cached,
            "output_tokens": 0 if fails else random.randint(50, 400),
            "duration_ms": round((time.monotonic() - started) * 1000),
            "outcome": "error" if fails else "ok"})

    def summary(self):
        tokens_in = sum(r["input_tokens"] for r in self.records)
        tokens_out = sum(r["output_tokens"] for r in self.records)
        return f"{len(self.records)} model calls, {tokens_in} tokens in, {tokens_out} out"


def work(vigil, job, args):
    """Does the (simulated) work of one job: a model call per step, a heartbeat after each."""
    payload = job.get("payload") or {}
    planned = payload.get("fail") if isinstance(payload, dict) else None
    if planned is None and random.random() < args.fail_rate:
        planned = "retryable"
    steps = max(1, args.steps)
    calls = ModelCalls(args.provider, args.model)
    for step in range(1, steps + 1):
        # a planned failure is the provider's: the last call fails
        calls.call(lambda: time.sleep(args.step_ms / 1000),
                   fails=planned in ("retryable", "permanent") and step == steps)
        answer = vigil.heartbeat(job, step / steps, f"step {step} of {steps}", args.lease_ms)
        if answer.get("cancel_requested"):
            # cancelled meanwhile: report it as a non-retryable failure; the server ends it cancelled
            vigil.fail(job, "Cancelled", "cancelled while running", retryable=False,
                       usage=calls.records)
            return "cancelled, " + calls.summary()
    if planned == "retryable":
        answer = vigil.fail(job, "UpstreamTimeout", "simulated: the model provider timed out", True,
                            usage=calls.records)
        return "failed, " + answer.get("state", "?") + ", " + calls.summary()
    if planned == "permanent":
        answer = vigil.fail(job, "InvalidInput", "simulated: the request cannot be served", False,
                            usage=calls.records)
        return "failed, " + answer.get("state", "?") + ", " + calls.summary()
    answer = vigil.complete(job, {"worker": args.worker_id, "steps": steps, "language": "python"},
                            usage=calls.records)
    return answer.get("state", "?") + ", " + calls.summary()


def parse_args(argv):
    p = argparse.ArgumentParser(description="A Vigil remote worker in Python.")
    p.add_argument("--url", default=os.environ.get("VIGIL_URL", "http://127.0.0.1:8080"),
                   help="the Vigil server (env VIGIL_URL)")
    token = p.add_mutually_exclusive_group()
    token.add_argument("--token", default=os.environ.get("VIGIL_API_TOKEN"),
                       help="API token (env VIGIL_API_TOKEN, the recommended way: a token given "
                            "here shows in ps and shell history)")
    token.add_argument("--token-file", help="read the API token from the first line of this file")
    p.add_argument("--lanes", default="", help="comma-separated lanes to take jobs from (default all)")
    p.add_argument("--types", default="", help="comma-separated job types (default any)")
    p.add_argument("--max", type=int, default=1,
                   help="most jobs per claim (default 1); the server hands out at most --slots")
    p.add_argument("--slots", type=int, default=1,
                   help="jobs this worker runs at once (default 1: it works one job at a time)")
    p.add_argument("--wait-ms", type=int, default=20000, help="how long a claim waits for work")
    p.add_argument("--lease-ms", type=int, default=30000, help="lease asked for each job")
    p.add_argument("--worker-id", default=f"py-{socket.gethostname()}-{os.getpid()}")
    p.add_argument("--steps", type=int, default=3, help="heartbeats per job")
    p.add_argument("--step-ms", type=int, default=200, help="simulated work per step")
    p.add_argument("--fail-rate", type=float, default=0.0,
                   help="fraction of jobs to fail (retryable) at random")
    p.add_argument("--provider", default="openai", help="provider of the simulated model calls")
    p.add_argument("--model", default="gpt-4o-mini", help="model of the simulated model calls")
    stop = p.add_mutually_exclusive_group()
    stop.add_argument("--once", action="store_true", help="make one claim, work it, and exit")
    stop.add_argument("--count", type=int, help="exit after working this many jobs")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    split = lambda s: [x.strip() for x in s.split(",") if x.strip()]
    if args.token_file:
        try:
            with open(args.token_file, encoding="utf-8") as f:
                args.token = f.readline().strip()
        except OSError as e:
            print(f"python_worker: cannot read --token-file: {e.strerror}", file=sys.stderr)
            return 2
    vigil = Vigil(args.url, args.token)
    done = 0
    print(f"worker {args.worker_id} claiming from {args.url} "
          f"(lanes: {args.lanes or 'all'}, types: {args.types or 'any'})", flush=True)
    try:
        while args.count is None or done < args.count:
            want = args.max if args.count is None else min(args.max, args.count - done)
            jobs = vigil.claim(args.worker_id, split(args.lanes), split(args.types), want,
                               args.wait_ms, args.lease_ms, args.slots)
            for job in jobs:
                started = time.monotonic()
                try:
                    outcome = work(vigil, job, args)
                except LeaseLost:
                    outcome = "lease lost, dropped"  # someone else owns the job now
                took = int((time.monotonic() - started) * 1000)
                print(f"{job['id']}  {job['type']:<16} {job['lane']:<10} attempt {job['attempt']}"
                      f"  {outcome}  ({took} ms)", flush=True)
                done += 1
            if args.once:
                break
    except KeyboardInterrupt:
        pass
    except (urllib.error.URLError, RuntimeError, OSError) as e:
        print(f"python_worker: {getattr(e, 'reason', e)}", file=sys.stderr)
        return 1
    print(f"worker {args.worker_id} done: {done} jobs", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
