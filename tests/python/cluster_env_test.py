"""ClusterEnv (python/clustersim/env.py, issue 17 acceptance 4), against the built simulator.

Run by ctest with PYTHONPATH=<build>/python and CLUSTERSIM_BINARY set (tests/CMakeLists.txt).
"""

import hashlib
import os
import sys
import unittest

import numpy as np

from clustersim import ClusterEnv

SOURCE = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT = os.path.join(SOURCE, "scenarios", "default.yaml")


def digest(obs):
    h = hashlib.sha256()
    for key in sorted(obs):
        h.update(key.encode())
        h.update(np.ascontiguousarray(obs[key]).tobytes())
    return h.hexdigest()


def random_episode(seed, steps, policy_seed=5):
    """Observation digests and rewards of `steps` steps of a seeded random policy."""
    env = ClusterEnv(DEFAULT, framework="batch-linux", sets=["duration=30m"])
    env.action_space.seed(policy_seed)
    obs, info = env.reset(seed=seed)
    digests, rewards = [digest(obs)], []
    try:
        for _ in range(steps):
            obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
            digests.append(digest(obs))
            rewards.append(reward)
            if terminated or truncated:
                break
    finally:
        env.close()
    return digests, rewards


class ClusterEnvTest(unittest.TestCase):
    def test_a_thousand_random_steps_repeat_exactly_with_one_seed(self):
        first = random_episode(seed=3, steps=1000)
        second = random_episode(seed=3, steps=1000)
        self.assertEqual(len(first[0]), 1001)  # the run lasts longer than 1,000 rounds
        self.assertEqual(first, second)
        other = random_episode(seed=4, steps=50)
        self.assertNotEqual(first[0][:51], other[0])

    def test_observations_lie_in_the_spaces_and_step_returns_the_five_tuple(self):
        env = ClusterEnv(DEFAULT, framework="batch-linux", sets=["duration=5m"])
        env.action_space.seed(1)
        obs, info = env.reset(seed=1)
        self.assertTrue(env.observation_space.contains(obs))
        self.assertIsInstance(info, dict)
        steps, placed = 0, 0
        while True:
            result = env.step(env.action_space.sample())
            self.assertEqual(len(result), 5)
            obs, reward, terminated, truncated, info = result
            self.assertIsInstance(obs, dict)
            self.assertIsInstance(reward, float)
            self.assertIsInstance(terminated, bool)
            self.assertIsInstance(truncated, bool)
            self.assertIsInstance(info, dict)
            self.assertTrue(env.observation_space.contains(obs), steps)
            # The default reward: minus the queue delay left pending until the next round.
            self.assertAlmostEqual(reward, -info["pending_after"] * info["dt_s"])
            placed += info["placed"]
            steps += 1
            if terminated:
                break
        env.close()
        self.assertGreater(steps, 100)
        self.assertGreater(placed, 0)
        # The run ended normally and handed over its summary; what was placed was launched.
        self.assertEqual(info["summary"]["scenario"], "default")
        self.assertGreater(info["summary"]["frameworks"][1]["tasks_finished"], 0)

    def test_feasible_matches_the_offers_and_tasks(self):
        env = ClusterEnv(DEFAULT, framework="batch-linux", sets=["duration=5m"])
        obs, _ = env.reset(seed=2)
        try:
            mask = obs["task_mask"][:, None] * obs["offer_mask"][None, :]
            self.assertTrue(np.all(obs["feasible"] <= mask))
            # A feasible pair's task fits what the offer holds, in every resource kind.
            for t, o in zip(*np.nonzero(obs["feasible"])):
                self.assertTrue(np.all(obs["tasks"][t, :4] <= obs["offers"][o] + 1e-6))
        finally:
            env.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
