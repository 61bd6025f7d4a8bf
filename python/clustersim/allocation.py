"""Allocation cycles as the simulator's master lays them out, for an allocator in Python.

The master (`master.allocator: {external: [...]}`) sends one AllocationCycle per cycle, before it
makes any offer: the agents it will visit in its (seeded, shuffled) order, each with what it has
available and the frameworks every Mesos rule lets take it (activity, suppression, offer
constraints, filters, min_allocatable); and the state an order depends on: each framework's
allocation and offer count, role offer counts, weights of the role tree's paths, the cluster's
total. The allocator answers, per visited agent, the order to offer it in
(`cycle.order(v, [framework, ...])`). The master walks each list as an in-tree order: the first
framework on it that may take the agent gets all of it, so an allocator that orders the next
agent by shares adds what it gave (`cycle.give`) before ordering it, as Mesos's sorters see each
allocation at once. "Framework" here is a subscription: one per (framework, role), its id the
framework's index when every framework has one role. Resources are int64 milli-units in
Hello.resource_kinds order.
"""


class Subscription:
    """A framework in one of its roles (protocol.proto Subscriptions)."""
    __slots__ = ("id", "framework", "role", "role_name", "registration_order", "owner")

    def __init__(self, **fields):
        for key, value in fields.items():
            setattr(self, key, value)


class CycleState:
    """What the simulator describes once and the allocator keeps between cycles."""

    def __init__(self, kinds):
        self.kinds = kinds
        self.agents = {}         # id -> placement.Agent (os, version, isolation, name)
        self.subscriptions = []  # by id
        self.paths = []          # the role tree's paths, in index order

    def update(self, message):
        from .placement import Agent
        a = message.agents
        for i, agent_id in enumerate(a.id):
            self.agents[agent_id] = Agent(id=agent_id, os=a.os[i], os_version=a.os_version[i],
                                          isolation=a.isolation[i], mem_overhead=0,
                                          attributes_match=True, name=a.name[i])
        s = message.subscriptions
        for i, sub_id in enumerate(s.id):
            assert sub_id == len(self.subscriptions), "subscriptions come in id order"
            self.subscriptions.append(Subscription(
                id=sub_id, framework=s.framework[i], role=s.role[i], role_name=s.role_name[i],
                registration_order=s.registration_order[i], owner=s.owner[i]))
        self.paths.extend(message.paths)


class AllocationCycle:
    """One cycle: `visits` in the master's order, each (agent id, available, eligible ids)."""

    def __init__(self, message, state):
        k = state.kinds
        self.cycle = message.cycle
        self.now_us = message.now_us
        self.kinds = k
        self.agents = state.agents
        self.subscriptions = state.subscriptions
        self.path_weight = dict(zip(state.paths, message.path_weight))
        self.cluster_total = list(message.cluster_total)
        self.fairness_excluded_kinds = message.fairness_excluded_kinds
        self.role_offer_count = list(message.role_offer_count)
        r = message.allocated
        self.allocated = [list(r[i * k:(i + 1) * k]) for i in range(len(message.offer_count))]
        self.offer_count = list(message.offer_count)
        self.active = list(message.active)
        self.visits = []
        available, eligible = message.visit_available, message.eligible
        first = 0
        for v, agent in enumerate(message.visit_agent):
            n = message.eligible_count[v]
            self.visits.append((agent, list(available[v * k:(v + 1) * k]),
                                list(eligible[first:first + n])))
            first += n
        self.orders = [[] for _ in self.visits]

    def order(self, v, frameworks):
        """Offer visit `v`'s agent to `frameworks` in this order (eligible ones, each once)."""
        self.orders[v] = list(frameworks)

    def give(self, framework, resources):
        """Records that `framework` is offered `resources` now: its allocation and offer count,
        and its role's offer count, grow as the master's will."""
        alloc = self.allocated[framework]
        for kind, amount in enumerate(resources):
            alloc[kind] += amount
        self.offer_count[framework] += 1
        self.role_offer_count[self.subscriptions[framework].role] += 1


class Allocator:
    """The master's offer order. Override `on_cycle`: call cycle.order(v, [...]) for each visit
    (an agent left without an order is offered to no one this cycle)."""

    name = "python-allocator"

    def on_hello(self, hello):
        """The run's facts (protocol.proto Hello) before the first cycle."""

    def on_cycle(self, cycle):
        raise NotImplementedError

    def on_end(self, summary_json):
        """The run is over; `summary_json` is its summary.json text."""
