#!/usr/bin/python3
"""First fit in Python: each pending task, in queue order, to the first offer it can go to.

The same decisions as the in-tree `first-fit` (scheduler_plugins/placements/first_fit.cc), so a
run with it gives byte-identical results (tests/integration/external_policy_test.cc checks it):

  placement: {external: [/usr/bin/python3, python/examples/first_fit.py]}
"""

from clustersim import Scheduler, run


class FirstFit(Scheduler):
    name = "first-fit.py"

    def on_round(self, r):
        # Offers only shrink during a round (and an agent's task counts only grow), so a shape
        # that found no offer never will, a task larger in some kind than every offer at the
        # start fits none of them, and the offers before the one a task of the same shape went to
        # have no room for another: its search starts there (tasks of a shape have identical
        # requirements, job constraints included).
        largest = [max(column) for column in zip(*r.remaining)] if r.remaining else []
        unplaceable = set()
        first_candidate = {}  # shape -> the offer its last task went to
        for t in range(r.task_count):
            if r.exhausted():
                break
            shape = r.task_shape[t]
            need = r.task_resources[t]
            if shape in unplaceable or any(l < n for l, n in zip(largest, need)):
                continue
            for o in range(first_candidate.get(shape, 0), r.offer_count):
                if r.can_place(t, o):
                    r.place(t, o)
                    first_candidate[shape] = o
                    break
            else:
                unplaceable.add(shape)


if __name__ == "__main__":
    run(FirstFit())
