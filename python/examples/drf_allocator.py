#!/usr/bin/python3
"""Dominant Resource Fairness in Python: the master's offer order as the in-tree `drf` gives it.

Mesos's DRF sorter (sorter/drf/sorter.hpp compareDRF) orders roles by their weighted dominant
share, then by how many offers the role has received, then by name; within a role, frameworks by
their own dominant share, then offers received, then registration order (which stands in for
Mesos's sequential framework ids). Shares count offered resources and leave out the kinds in
master.fair_sharing_excluded_resource_names. Every agent goes first to the framework first in
that order, so after ordering an agent this allocator gives its available resources to the first
framework of the order, and the next agent is ordered with the shares that follow, as the
in-tree sorter's are. A run with it gives byte-identical results to `drf` on scenarios whose
roles are flat (no `/`) and that have no reservations or quotas
(tests/integration/external_allocator_test.cc checks policy-study.yaml):

  master:
    allocator: {external: [/usr/bin/python3, python/examples/drf_allocator.py]}
"""

from clustersim import Allocator, run


def dominant_share(allocated, total):
    share = 0.0
    for have, of in zip(allocated, total):
        if of > 0:
            share = max(share, have / of)
    return share


class Drf(Allocator):
    name = "drf.py"

    def on_cycle(self, c):
        total = [0 if (c.fairness_excluded_kinds >> k) & 1 else t
                 for k, t in enumerate(c.cluster_total)]
        subs = c.subscriptions
        if any("/" in s.role_name for s in subs):
            raise ValueError("drf_allocator.py orders flat roles only (a role tree's inner "
                             "nodes need their own shares and counts)")
        role_allocated = {}
        for s in subs:
            alloc = role_allocated.setdefault(s.role, [0] * c.kinds)
            for k, amount in enumerate(c.allocated[s.id]):
                alloc[k] += amount

        def key(f):
            s = subs[f]
            role_share = (dominant_share(role_allocated[s.role], total) /
                          c.path_weight.get(s.role_name, 1.0))
            return (role_share, c.role_offer_count[s.role], s.role_name,
                    dominant_share(c.allocated[f], total), c.offer_count[f],
                    s.registration_order, f)

        for v, (agent, available, eligible) in enumerate(c.visits):
            if not eligible:
                continue
            order = sorted(eligible, key=key) if len(eligible) > 1 else eligible
            c.order(v, order)
            taker = order[0]
            c.give(taker, available)
            alloc = role_allocated[subs[taker].role]
            for k, amount in enumerate(available):
                alloc[k] += amount


if __name__ == "__main__":
    run(Drf())
