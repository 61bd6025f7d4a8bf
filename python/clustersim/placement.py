"""Placement rounds as the simulator's framework sees them, with its feasibility rules.

`PlacementRound.can_place(t, o)` applies the rules of the simulator's PlacementContext::CanPlace
(scheduler_plugins/api/feasibility.h and models/framework/framework_round.h), in the same order:
what is left of the offer holds the task's resources; the task is not placed yet; the offer is
under the framework's max_tasks_per_offer; the agent carries the attributes the framework
requires; the task's image runs there (`can_run`: OS, Windows base version, isolation) and its
resources plus the container's memory (Hyper-V's utility VM) fit; the agent runs fewer than
max_tasks_per_agent of the framework's tasks; with job constraints (a trace's different-machine
tasks), a task that must be alone goes where its job has no task and any other where its job has
no different-machine task. `place(t, o)` records a launch and claims the
resources as the simulator will, so a policy can choose launch after launch as an in-tree one
does. Resources are int64 milli-units (cpus x 1000, MiB x 1000), in Hello.resource_kinds order.
"""

LINUX, WINDOWS = 0, 1
VERSION_NONE = 0
DOCKER, PROCESS, HYPERV = 0, 1, 2


def can_run(host_os, host_version, isolation, image_os, image_version):
    """Whether an image of `image_os` / `image_version` runs on such an agent (api/os.cc)."""
    if host_os != image_os:
        return False
    if host_os == LINUX or image_version == VERSION_NONE:
        return True
    if image_version > host_version:
        return False
    return isolation == HYPERV or image_version == host_version


class Agent:
    __slots__ = ("id", "os", "os_version", "isolation", "mem_overhead", "attributes_match",
                 "name")

    def __init__(self, **fields):
        for key, value in fields.items():
            setattr(self, key, value)


class TaskQueue:
    """The pending queue in columns, kept from round to round: a round with a QueueDelta
    (HelloReply.wants_queue_deltas) carries only the tasks new to the queue. The lists are valid
    for the round they were updated for."""

    COLUMNS = ("resources", "os", "image_version", "image", "shape", "job", "different_machine")

    def __init__(self):
        for name in self.COLUMNS:
            setattr(self, name, [])

    def update(self, message, kinds):
        tasks = message.tasks
        r = tasks.resources
        n = len(tasks.os)
        new = ([tuple(r[i * kinds:(i + 1) * kinds]) for i in range(n)],
               list(tasks.os), list(tasks.image_version), list(tasks.image), list(tasks.shape),
               list(tasks.job) or [0] * n, list(tasks.different_machine) or [False] * n)
        delta = message.queue_delta
        if not message.HasField("queue_delta") or delta.full:
            for name, column in zip(self.COLUMNS, new):
                setattr(self, name, column)
            return
        keep = None
        if delta.removed:
            gone = set(delta.removed)
            keep = [i for i in range(len(self.os)) if i not in gone]
        k = delta.prepended
        for name, added in zip(self.COLUMNS, new):
            column = getattr(self, name)
            if keep is not None:
                column = [column[i] for i in keep]
            if k:
                column = added[:k] + column + added[k:]
            else:
                column.extend(added)
            setattr(self, name, column)


class PlacementRound:
    """One decision round: the framework's offers and pending tasks, in columns."""

    def __init__(self, message, agents, kinds, max_tasks_per_offer, max_tasks_per_agent,
                 queue=None):
        self.round = message.round
        self.now_us = message.now_us
        self.kinds = kinds
        self.agents = agents
        self.max_tasks_per_offer = max_tasks_per_offer
        self.max_tasks_per_agent = max_tasks_per_agent
        offers, tasks = message.offers, message.tasks
        self.offer_agent = list(offers.agent)
        r = offers.resources
        self.remaining = [list(r[i * kinds:(i + 1) * kinds]) for i in range(len(self.offer_agent))]
        self.agent_tasks = dict(zip(offers.agent, offers.agent_tasks))
        if queue is None:  # the message holds the whole queue
            queue = TaskQueue()
            queue.update(message, kinds)
        self.task_resources = queue.resources
        self.task_os = queue.os
        self.task_image_version = queue.image_version
        self.task_image = queue.image
        self.task_shape = queue.shape
        self.task_job = queue.job
        self.task_different_machine = queue.different_machine
        # Job constraints (a trace's different-machine tasks): (agent, job) -> [tasks there,
        # different-machine ones], this round's launches included.
        self.has_job_constraints = message.HasField("job_tallies")
        self.job_tally = {}
        tallies = message.job_tallies
        for i, o in enumerate(tallies.offer):
            key = (self.offer_agent[o], tallies.job[i])
            self.job_tally[key] = [tallies.tasks[i], tallies.different_machine[i]]
        self.placed = [False] * len(self.task_os)
        self.placed_in = [0] * len(self.offer_agent)
        self._closed = [False] * len(self.offer_agent)
        self._open_offers = len(self.offer_agent)
        self.placed_count = 0
        self.launches = []  # (task, offer), in the order placed
        cache = message.image_cache
        self._image_column = {image: i for i, image in enumerate(cache.image)}
        self._missing = cache.missing_mib
        self.checks = []  # (task, offer, can_place) for the simulator to compare (a test aid)
        self.refusals = []  # (offer, seconds): filters instead of the framework's refuse_seconds
        self.suppressed = False

    @property
    def task_count(self):
        return len(self.task_os)

    @property
    def offer_count(self):
        return len(self.offer_agent)

    def charge(self, t, o):
        """The task's resources plus the container's memory on offer `o`'s agent."""
        need = self.task_resources[t]
        overhead = self.agents[self.offer_agent[o]].mem_overhead
        if overhead <= 0:
            return need
        return need[:1] + (need[1] + overhead,) + need[2:]

    def can_place(self, t, o):
        rem, need = self.remaining[o], self.task_resources[t]
        for have, want in zip(rem, need):
            if have < want:
                return False
        if self.placed[t]:
            return False
        if self.max_tasks_per_offer and self.placed_in[o] >= self.max_tasks_per_offer:
            return False
        agent = self.agents[self.offer_agent[o]]
        if not agent.attributes_match:
            return False
        if not can_run(agent.os, agent.os_version, agent.isolation, self.task_os[t],
                       self.task_image_version[t]):
            return False
        if agent.mem_overhead > 0:
            for have, want in zip(rem, self.charge(t, o)):
                if have < want:
                    return False
        if (self.max_tasks_per_agent and
                self.agent_tasks.get(agent.id, 0) >= self.max_tasks_per_agent):
            return False
        if self.has_job_constraints:
            tally = self.job_tally.get((agent.id, self.task_job[t]))
            if tally and (tally[0] if self.task_different_machine[t] else tally[1]):
                return False
        return True

    def place(self, t, o):
        if not self.can_place(t, o):
            raise ValueError(f"task {t} cannot go to offer {o}")
        rem = self.remaining[o]
        for k, amount in enumerate(self.charge(t, o)):
            rem[k] -= amount
        self.placed[t] = True
        self.placed_in[o] += 1
        self.placed_count += 1
        agent = self.offer_agent[o]
        self.agent_tasks[agent] = self.agent_tasks.get(agent, 0) + 1
        if self.has_job_constraints:
            tally = self.job_tally.setdefault((agent, self.task_job[t]), [0, 0])
            tally[0] += 1
            tally[1] += 1 if self.task_different_machine[t] else 0
        full = self.max_tasks_per_offer and self.placed_in[o] >= self.max_tasks_per_offer
        if not self._closed[o] and (full or not any(rem)):
            self._closed[o] = True
            self._open_offers -= 1
        self.launches.append((t, o))

    def image_missing_mib(self, o, image):
        """MiB offer `o`'s agent would download to run `image`, at the round's start (0 when
        cached). Needs the Scheduler's `wants_image_cache = True`."""
        if not self._image_column and image >= 0:
            raise RuntimeError("image_missing_mib needs wants_image_cache = True on the Scheduler")
        return self._missing[o * len(self._image_column) + self._image_column[image]]

    def refuse(self, o, seconds):
        """After the answer, offer `o`'s agent is not offered to this framework for `seconds`
        (Mesos's Filters.refuse_seconds), declined or accepted in part: instead of the framework's
        `refuse_seconds`."""
        self.refusals.append((o, float(seconds)))

    def suppress(self):
        """Suppress offers after the answer (Mesos's SUPPRESS), even with tasks pending; the
        framework revives when a task is submitted or retried."""
        self.suppressed = True

    def check(self, t, o):
        """Asks the simulator to compare can_place(t, o) with its own rule. Call before any
        place() of the round: the simulator checks at the round's start."""
        self.checks.append((t, o, self.can_place(t, o)))

    def exhausted(self):
        """True once no offer can take any more tasks."""
        return self.placed_count == self.task_count or self._open_offers == 0


class Scheduler:
    """A framework's placement policy. Override `on_round`: call round.place(t, o) for the tasks
    to launch; offers left without launches are declined, tasks left wait for later offers."""

    name = "python"
    # Ask for PlacementRound.image_cache (image_missing_mib): offers x images numbers per round.
    wants_image_cache = False
    # Receive the pending queue as deltas between rounds (only new tasks travel); the round's
    # columns are the same either way.
    wants_queue_deltas = True

    def on_hello(self, hello):
        """The run's facts (protocol.proto Hello) before the first round."""

    def on_round(self, round):
        """One decision round: call round.place(t, o) for the launches (and round.refuse,
        round.suppress). Override this or `on_offers`, its other name."""
        return self.on_offers(round)

    def on_offers(self, round):
        raise NotImplementedError("a Scheduler overrides on_round (or on_offers)")

    def on_end(self, summary_json):
        """The run is over; `summary_json` is its summary.json text."""


def add_agents(agents, columns):
    """Adds protocol.proto Agents columns to `agents` (id -> Agent)."""
    for i, agent_id in enumerate(columns.id):
        agents[agent_id] = Agent(id=agent_id, os=columns.os[i], os_version=columns.os_version[i],
                                 isolation=columns.isolation[i],
                                 mem_overhead=columns.mem_overhead[i],
                                 attributes_match=columns.attributes_match[i],
                                 name=columns.name[i])
