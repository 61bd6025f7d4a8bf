"""The policy's side of the conversation: answers the simulator until the run ends."""

import sys
import traceback

from .allocation import AllocationCycle, CycleState
from .placement import PlacementRound, TaskQueue, add_agents
from .protocol import PROTOCOL_VERSION, Connection, pb


ALLOCATOR = "allocator"


class _Key:
    """What the simulator told one key (a framework's placement, or the allocator)."""

    def __init__(self, hello, policy):
        self.policy = policy
        self.kinds = len(hello.resource_kinds)
        self.limits = (hello.max_tasks_per_offer, hello.max_tasks_per_agent)
        self.agents = {}
        self.queue = TaskQueue()
        self.cycle_state = CycleState(self.kinds)


def run(policy, read_fd=3, write_fd=4):
    """Answers the simulator until the run ends, with `policy`: a placement `Scheduler`
    (on_round), an `Allocator` (on_cycle), or — for a process several keys share (`shared:
    NAME` in the scenario) — a dict from framework name (and "allocator") to those. A key without
    a policy of its kind, or an exception in a policy, is sent back as an Error message (the run
    ends with it); an exception is re-raised."""
    conn = Connection(read_fd, write_fd)
    keys = {}
    while True:
        message = conn.receive()
        if message is None:
            return
        body = message.WhichOneof("body")
        if body == "hello":
            hello = message.hello
            name = ALLOCATOR if hello.decides == pb.ALLOCATION else hello.framework
            chosen = _policy_for(policy, name, hello)
            if isinstance(chosen, str):
                _refuse(conn, chosen)
                return
            keys[name] = _Key(hello, chosen)
            chosen.on_hello(hello)
            reply = pb.FromPolicy()
            reply.hello.protocol_version = PROTOCOL_VERSION
            reply.hello.name = getattr(chosen, "name", type(chosen).__name__)
            reply.hello.wants_image_cache = getattr(chosen, "wants_image_cache", False)
            reply.hello.wants_queue_deltas = getattr(chosen, "wants_queue_deltas", True)
            conn.send(reply)
        elif body == "round":
            key = keys[message.round.framework] if message.round.framework else _only(keys)
            add_agents(key.agents, message.round.agents)
            key.queue.update(message.round, key.kinds)
            rnd = PlacementRound(message.round, key.agents, key.kinds, *key.limits, key.queue)
            _answer(conn, lambda: key.policy.on_round(rnd), lambda a: _decision(a, rnd))
        elif body == "cycle":
            key = keys[ALLOCATOR]
            key.cycle_state.update(message.cycle)
            cycle = AllocationCycle(message.cycle, key.cycle_state)
            _answer(conn, lambda: key.policy.on_cycle(cycle), lambda a: _order(a, cycle))
        elif body == "end":
            ended = set()
            for key in keys.values():
                if id(key.policy) not in ended:
                    ended.add(id(key.policy))
                    key.policy.on_end(message.end.summary_json)
            return
        elif body == "error":
            sys.exit(f"clustersim: {message.error.message}")


def _policy_for(policy, name, hello):
    """The policy that serves key `name`, or why none does (a message for the simulator)."""
    allocator = hello.decides == pb.ALLOCATION
    as_what = ("the master's allocator (master.allocator)" if allocator else
               f"framework {hello.framework}'s placement")
    if isinstance(policy, dict):
        if name not in policy:
            return (f"this process serves {sorted(policy)}, not {as_what}; add it to the dict "
                    "given to clustersim.run")
        policy = policy[name]
    wanted = "on_cycle" if allocator else "on_round"
    if not hasattr(policy, wanted):
        return f"{type(policy).__name__} has no {wanted}: the simulator started it as {as_what}"
    return policy


def _only(keys):
    return next(iter(keys.values()))


def _refuse(conn, message):
    error = pb.FromPolicy()
    error.error.message = message
    conn.send(error)


def _answer(conn, decide, fill):
    try:
        decide()
    except Exception:
        error = pb.FromPolicy()
        # The innermost frames: where the policy's own code raised (the outermost are ours).
        error.error.message = traceback.format_exc(limit=-3).strip().replace("\n", " | ")
        conn.send(error)
        raise
    answer = pb.FromPolicy()
    fill(answer)
    conn.send(answer)


def _decision(answer, rnd):
    decision = answer.decision
    decision.launch_task.extend(t for t, _ in rnd.launches)
    decision.launch_offer.extend(o for _, o in rnd.launches)
    decision.check_task.extend(t for t, _, _ in rnd.checks)
    decision.check_offer.extend(o for _, o, _ in rnd.checks)
    decision.check_can_place.extend(c for _, _, c in rnd.checks)
    decision.refuse_offer.extend(o for o, _ in rnd.refusals)
    decision.refuse_seconds.extend(s for _, s in rnd.refusals)
    decision.suppress = rnd.suppressed


def _order(answer, cycle):
    order = answer.order
    order.count.extend(len(o) for o in cycle.orders)
    for o in cycle.orders:
        order.framework.extend(o)
