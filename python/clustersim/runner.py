"""The policy's side of the conversation: answers the simulator until the run ends."""

import sys
import traceback

from .allocation import AllocationCycle, CycleState
from .placement import PlacementRound, add_agents
from .protocol import PROTOCOL_VERSION, Connection, pb


def run(policy, read_fd=3, write_fd=4):
    """Answers the simulator with `policy` — a placement `Scheduler` (on_round) or an
    `Allocator` (on_cycle) — until the run ends. An exception in the policy is sent back as an
    Error message (the run ends with it) and re-raised."""
    conn = Connection(read_fd, write_fd)
    agents, kinds, limits, cycle_state = {}, 0, (0, 0), None
    while True:
        message = conn.receive()
        if message is None:
            return
        body = message.WhichOneof("body")
        if body == "hello":
            hello = message.hello
            kinds = len(hello.resource_kinds)
            limits = (hello.max_tasks_per_offer, hello.max_tasks_per_agent)
            cycle_state = CycleState(kinds)
            wanted = "on_cycle" if hello.decides == pb.ALLOCATION else "on_round"
            if not hasattr(policy, wanted):
                as_what = ("the master's allocator (master.allocator)"
                           if hello.decides == pb.ALLOCATION else
                           f"framework {hello.framework}'s placement")
                _refuse(conn, f"{type(policy).__name__} has no {wanted}: the simulator started "
                              f"it as {as_what}")
                return
            policy.on_hello(hello)
            reply = pb.FromPolicy()
            reply.hello.protocol_version = PROTOCOL_VERSION
            reply.hello.name = policy.name
            reply.hello.wants_image_cache = getattr(policy, "wants_image_cache", False)
            conn.send(reply)
        elif body == "round":
            add_agents(agents, message.round.agents)
            rnd = PlacementRound(message.round, agents, kinds, *limits)
            _answer(conn, lambda: policy.on_round(rnd), lambda a: _decision(a, rnd))
        elif body == "cycle":
            cycle_state.update(message.cycle)
            cycle = AllocationCycle(message.cycle, cycle_state)
            _answer(conn, lambda: policy.on_cycle(cycle), lambda a: _order(a, cycle))
        elif body == "end":
            policy.on_end(message.end.summary_json)
            return
        elif body == "error":
            sys.exit(f"clustersim: {message.error.message}")


def _refuse(conn, message):
    error = pb.FromPolicy()
    error.error.message = message
    conn.send(error)


def _answer(conn, decide, fill):
    try:
        decide()
    except Exception:
        error = pb.FromPolicy()
        error.error.message = traceback.format_exc(limit=3).strip().replace("\n", " | ")
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


def _order(answer, cycle):
    order = answer.order
    order.count.extend(len(o) for o in cycle.orders)
    for o in cycle.orders:
        order.framework.extend(o)
