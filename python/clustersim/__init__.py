"""clustersim's Python client: policies that decide for the simulator in another process.

The simulator starts the policy's command (a scenario's `placement: {external: [...]}`) and talks
to it over scheduler_plugins/external/protocol.proto: requests on fd 3, answers on fd 4, so that
the policy's own prints (stdout, stderr) go to the run's external-<framework>.log. Subclass
`Scheduler`, answer `on_round`, and call `run(MyScheduler())`; for the master's offer order
(`master.allocator: {external: [...]}`), subclass `Allocator` and answer `on_cycle`. Or drive the simulator yourself,
one round at a time, with `ClusterEnv` (env.py: Gymnasium's reset/step interface).

The package lives in python/clustersim of the source tree; the build copies it, with the
generated protocol_pb2, to <build>/python/clustersim, which the simulator puts first in the
policy's PYTHONPATH.
"""

from .allocation import AllocationCycle, Allocator
from .placement import PlacementRound, Scheduler, can_run
from .runner import run

__all__ = ["AllocationCycle", "Allocator", "ClusterEnv", "PlacementRound", "Scheduler", "can_run",
           "run"]


def __getattr__(name):
    # ClusterEnv needs numpy; schedulers the simulator starts do not import it.
    if name == "ClusterEnv":
        from .env import ClusterEnv
        return ClusterEnv
    raise AttributeError(name)
