#!/usr/bin/python3
"""A tiny learning loop: an epsilon-greedy bandit choosing, round by round, among three placement
rules for the `batch-linux` framework of scenarios/default.yaml, through ClusterEnv.

  /usr/bin/python3 python/examples/bandit.py [--episodes 3] [--minutes 30]

Arms: first-fit (each task to the first feasible offer), spread (to the feasible offer holding the
most cpus) and hold (place nothing this round). The reward is ClusterEnv's default, minus the
queue delay left pending until the next round, so the bandit learns that holding costs and which
rule leaves less waiting. Runs in well under a minute (bench/RESULTS.md, "External policies").
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Found without PYTHONPATH, as results/read_events.py finds its module: in $CLUSTERSIM_BUILD/python,
# or in the build tree of the checkout this script is in (build/python).
sys.path.insert(0, os.path.join(os.environ.get("CLUSTERSIM_BUILD") or
                                os.path.join(HERE, "..", "..", "build"), "python"))

import numpy as np  # noqa: E402

from clustersim import ClusterEnv  # noqa: E402

ARMS = ("first-fit", "spread", "hold")


def action_for(arm, obs, env):
    """The offer index per task the arm chooses (env.max_offers: leave pending)."""
    action = np.full(env.max_tasks, env.max_offers, dtype=np.int64)
    if arm == "hold":
        return action
    left = obs["offers"].copy()
    for t in np.nonzero(obs["task_mask"])[0]:
        need = obs["tasks"][t, :left.shape[1]]
        fits = [o for o in np.nonzero(obs["feasible"][t])[0] if np.all(left[o] >= need)]
        if not fits:
            continue
        o = fits[0] if arm == "first-fit" else max(fits, key=lambda o: left[o, 0])
        action[t] = o
        left[o] -= need
    return action


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=3)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--epsilon", type=float, default=0.1)
    args = parser.parse_args()
    scenario = os.path.join(HERE, "..", "..", "scenarios", "default.yaml")
    env = ClusterEnv(scenario, framework="batch-linux", sets=[f"duration={args.minutes}m"])
    rng = np.random.default_rng(0)
    value, count = np.zeros(len(ARMS)), np.zeros(len(ARMS))
    for episode in range(args.episodes):
        obs, _ = env.reset(seed=episode)
        total, steps = 0.0, 0
        while True:
            explore = rng.random() < args.epsilon or count.min() == 0
            arm = int(rng.integers(len(ARMS))) if explore else int(np.argmax(value))
            obs, reward, terminated, truncated, info = env.step(action_for(ARMS[arm], obs, env))
            count[arm] += 1
            value[arm] += (reward - value[arm]) / count[arm]
            total += reward
            steps += 1
            if terminated or truncated:
                break
        finished = info["summary"]["frameworks"][1]["tasks_finished"]
        print(f"episode {episode}: {steps} rounds, reward {total:.0f}, "
              f"batch-linux finished {finished}; arm values " +
              ", ".join(f"{a} {v:.1f} (n={int(n)})" for a, v, n in zip(ARMS, value, count)))
    env.close()


if __name__ == "__main__":
    main()
