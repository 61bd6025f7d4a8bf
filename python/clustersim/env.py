"""ClusterEnv: a reset/step environment (Gymnasium's interface) over one framework's rounds.

One episode is one run of a scenario. `reset(seed)` starts `clustersim run` with the framework's
placement set to `{socket: PATH}`, a Unix socket this environment listens on, and returns the
framework's first decision round as an observation; `step(action)` answers that round and returns
the next one, until the run ends (`terminated`). The simulator waits for each answer, so results
are those of a run with the same decisions: deterministic for a seeded policy.

Observation (fixed shapes; resources in the scenario's units, cpus and MiB):
  offers      float32 [max_offers, kinds]  what each offer holds (0 past the last offer)
  offer_mask  int8    [max_offers]         1 for a real offer
  tasks       float32 [max_tasks, kinds+2] each pending task's resources, OS (0 linux, 1
                                           windows) and Windows image version (0 none .. 3 ltsc2022)
  task_mask   int8    [max_tasks]          1 for a real task (the first max_tasks in queue order)
  feasible    int8    [max_tasks, max_offers] can_place at the round's start
  time_s      float32 [1]                  simulated time
Action: for each of the first max_tasks tasks an offer index, or max_offers to leave it pending
(MultiDiscrete([max_offers + 1] * max_tasks)); applied in task order, each only if can_place
still allows it (the others count in info["rejected"]).
Reward (pluggable: `reward=f(info) -> float`): by default minus the queue delay the framework's
pending tasks accumulate until its next round: -(tasks still pending) x (seconds to the next round).

The spaces are small duck-typed classes with `contains` and `sample` (Debian 12 has no gymnasium);
when gymnasium is importable the environment registers as "clustersim/ClusterEnv-v0" and uses its
spaces.
"""

import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time

import numpy as np

from .placement import PlacementRound, add_agents
from .protocol import PROTOCOL_VERSION, pb

try:  # optional: Debian 12 does not package gymnasium
    import gymnasium
    from gymnasium import spaces as _gym_spaces
except ImportError:
    gymnasium = None
    _gym_spaces = None


class Box:
    def __init__(self, low, high, shape, dtype):
        self.low, self.high, self.shape, self.dtype = low, high, tuple(shape), np.dtype(dtype)
        self._rng = np.random.default_rng()

    def seed(self, seed):
        self._rng = np.random.default_rng(seed)

    def contains(self, x):
        x = np.asarray(x)
        return (x.shape == self.shape and x.dtype == self.dtype and bool(np.all(x >= self.low))
                and bool(np.all(x <= self.high)))

    def sample(self):
        high = self.high if np.isfinite(self.high) else 1.0
        if np.issubdtype(self.dtype, np.integer):
            return self._rng.integers(self.low, high + 1, self.shape).astype(self.dtype)
        return self._rng.uniform(self.low, high, self.shape).astype(self.dtype)


class MultiDiscrete:
    def __init__(self, nvec):
        self.nvec = np.asarray(nvec, dtype=np.int64)
        self.shape, self.dtype = self.nvec.shape, np.dtype(np.int64)
        self._rng = np.random.default_rng()

    def seed(self, seed):
        self._rng = np.random.default_rng(seed)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= 0)) and bool(np.all(x < self.nvec))

    def sample(self):
        return self._rng.integers(0, self.nvec).astype(np.int64)


class Dict:
    def __init__(self, spaces):
        self.spaces = spaces

    def seed(self, seed):
        for i, space in enumerate(self.spaces.values()):
            space.seed(None if seed is None else seed + i)

    def contains(self, x):
        return (isinstance(x, dict) and x.keys() == self.spaces.keys() and
                all(space.contains(x[k]) for k, space in self.spaces.items()))

    def sample(self):
        return {k: space.sample() for k, space in self.spaces.items()}


def default_reward(info):
    return -float(info["pending_after"]) * info["dt_s"]


def _binary():
    """The clustersim binary beside this package's build copy, or a checkout's build/."""
    if os.environ.get("CLUSTERSIM_BINARY"):
        return os.environ["CLUSTERSIM_BINARY"]
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "..", "..", "clustersim"),
                      os.path.join(here, "..", "..", "build", "clustersim")):
        if os.path.exists(candidate):
            return os.path.normpath(candidate)
    raise FileNotFoundError("clustersim binary not found: build it or set CLUSTERSIM_BINARY")


class ClusterEnv:
    """See the module's documentation."""

    metadata = {"render_modes": []}

    def __init__(self, scenario, framework=0, max_offers=32, max_tasks=16, kinds=4,
                 reward=default_reward, sets=(), timeout_s=60, binary=None):
        self.scenario, self.framework = scenario, framework
        self.max_offers, self.max_tasks, self.kinds = max_offers, max_tasks, kinds
        self.reward_fn, self.sets, self.timeout_s = reward, list(sets), timeout_s
        self.binary = binary or _binary()
        box = _gym_spaces.Box if _gym_spaces else Box
        multi = _gym_spaces.MultiDiscrete if _gym_spaces else MultiDiscrete
        self.observation_space = (_gym_spaces.Dict if _gym_spaces else Dict)({
            "offers": box(0.0, np.inf, (max_offers, kinds), np.float32),
            "offer_mask": box(0, 1, (max_offers,), np.int8),
            "tasks": box(0.0, np.inf, (max_tasks, kinds + 2), np.float32),
            "task_mask": box(0, 1, (max_tasks,), np.int8),
            "feasible": box(0, 1, (max_tasks, max_offers), np.int8),
            "time_s": box(0.0, np.inf, (1,), np.float32),
        })
        self.action_space = multi([max_offers + 1] * max_tasks)
        self._process = self._conn = self._dir = None
        self._round = None
        self.summary = None

    # --- Gymnasium's interface ---------------------------------------------------------------
    def reset(self, seed=None, options=None):
        self.close()
        self._dir = tempfile.mkdtemp(prefix="clustersim-env-")
        path = os.path.join(self._dir, "policy.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(1)
        selector = (f"frameworks[name={self.framework}]" if isinstance(self.framework, str)
                    else f"frameworks[{self.framework}]")
        args = [self.binary, "run", self.scenario, "--quiet", "--out",
                os.path.join(self._dir, "out"),
                "--set", f"{selector}.placement={{socket: '{path}'}}"]
        if seed is not None:
            args += ["--seed", str(int(seed))]
        for s in self.sets:
            args += ["--set", s]
        self._stderr = open(os.path.join(self._dir, "stderr.txt"), "w+b")
        self._process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self._stderr)
        try:
            self._conn = self._accept(listener)
        finally:
            listener.close()
        self._conn.settimeout(self.timeout_s)
        self._agents, self._kinds_sent, self._limits = {}, self.kinds, (0, 0)
        self.summary = None
        done = self._next()
        obs = self._observation()
        return obs, {"round": self._round.round if self._round else 0, "done": done}

    def step(self, action):
        if self._round is None:
            raise RuntimeError("step() after the episode ended: call reset()")
        r = self._round
        rejected = 0
        for t, o in enumerate(np.asarray(action).tolist()[:r.task_count]):
            if o < min(r.offer_count, self.max_offers) and r.can_place(t, o):
                r.place(t, o)
            elif o < self.max_offers:
                rejected += 1
        answer = pb.FromPolicy()
        answer.decision.launch_task.extend(t for t, _ in r.launches)
        answer.decision.launch_offer.extend(o for _, o in r.launches)
        self._send(answer)
        placed, pending_after, before_us = len(r.launches), r.task_count - len(r.launches), r.now_us
        terminated = self._next()
        after_us = self._round.now_us if self._round else before_us
        info = {"placed": placed, "rejected": rejected, "pending_after": pending_after,
                "dt_s": (after_us - before_us) / 1e6,
                "round": self._round.round if self._round else r.round}
        if terminated:
            info["summary"] = self.summary
        return self._observation(), float(self.reward_fn(info)), terminated, False, info

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            try:
                self._process.wait(timeout=self.timeout_s)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
            self._stderr.close()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
        self._round = None

    # --- The protocol --------------------------------------------------------------------------
    def _accept(self, listener):
        """The simulator's connection, or an error if it exits or times out first."""
        listener.settimeout(0.1)
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                conn, _ = listener.accept()
                return conn
            except socket.timeout:
                if self._process.poll() is not None:
                    raise RuntimeError("clustersim stopped before its first round: " +
                                       self._stderr_text())
                if time.monotonic() > deadline:
                    raise RuntimeError(f"clustersim did not connect within {self.timeout_s} s")

    def _stderr_text(self):
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace").strip()

    def _send(self, message):
        body = message.SerializeToString()
        self._conn.sendall(struct.pack("<I", len(body)) + body)

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self._conn.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def _receive(self):
        header = self._read(4)
        if header is None:
            return None
        body = self._read(struct.unpack("<I", header)[0])
        if body is None:
            return None
        message = pb.ToPolicy()
        message.ParseFromString(body)
        return message

    def _next(self):
        """Reads up to the framework's next round; True when the run ended instead."""
        while True:
            message = self._receive()
            body = message.WhichOneof("body") if message is not None else None
            if body == "hello":
                self._kinds_sent = len(message.hello.resource_kinds)
                self._limits = (message.hello.max_tasks_per_offer,
                                message.hello.max_tasks_per_agent)
                reply = pb.FromPolicy()
                reply.hello.protocol_version = PROTOCOL_VERSION
                reply.hello.name = "ClusterEnv"
                self._send(reply)
                continue
            if body == "round":
                add_agents(self._agents, message.round.agents)
                self._round = PlacementRound(message.round, self._agents, self._kinds_sent,
                                             *self._limits)
                return False
            self._round = None
            if body == "end" and message.end.summary_json:
                self.summary = json.loads(message.end.summary_json)
                return True
            # A run that ends by an error sends RunEnd without a summary, or just closes the
            # socket: the episode did not end, the simulator failed (exit 2).
            try:
                status = self._process.wait(timeout=self.timeout_s)
            except subprocess.TimeoutExpired:
                status = None
            if body == "error" or status != 0:
                raise RuntimeError("clustersim stopped: " + self._stderr_text())
            return True

    def _observation(self):
        obs = {
            "offers": np.zeros((self.max_offers, self.kinds), np.float32),
            "offer_mask": np.zeros(self.max_offers, np.int8),
            "tasks": np.zeros((self.max_tasks, self.kinds + 2), np.float32),
            "task_mask": np.zeros(self.max_tasks, np.int8),
            "feasible": np.zeros((self.max_tasks, self.max_offers), np.int8),
            "time_s": np.zeros(1, np.float32),
        }
        r = self._round
        if r is None:
            return obs
        k = min(self.kinds, r.kinds)
        offers, tasks = min(r.offer_count, self.max_offers), min(r.task_count, self.max_tasks)
        for o in range(offers):
            obs["offers"][o, :k] = np.asarray(r.remaining[o][:k], np.float64) / 1000.0
            obs["offer_mask"][o] = 1
        for t in range(tasks):
            obs["tasks"][t, :k] = np.asarray(r.task_resources[t][:k], np.float64) / 1000.0
            obs["tasks"][t, self.kinds] = r.task_os[t]
            obs["tasks"][t, self.kinds + 1] = r.task_image_version[t]
            obs["task_mask"][t] = 1
            for o in range(offers):
                obs["feasible"][t, o] = r.can_place(t, o)
        obs["time_s"][0] = r.now_us / 1e6
        return obs


if gymnasium is not None:  # pragma: no cover (not on Debian 12)
    try:
        gymnasium.register(id="clustersim/ClusterEnv-v0", entry_point=ClusterEnv)
    except Exception:  # already registered
        pass
