#!/usr/bin/python3
"""Image locality in Python: each pending task, in queue order, to the feasible offer whose agent
has the least of its image to download (an image already placed there this round counts as
cached; ties to the earlier offer; a shape that found no offer is not tried again).

The same decisions as the in-tree `image-locality` (scheduler_plugins/placements/image_locality.cc
over scoring.h's PlaceByScore): byte-identical results (tests/integration/external_policy_test.cc).

  placement: {external: [/usr/bin/python3, python/examples/image_locality.py]}
"""

from clustersim import Scheduler, run


class ImageLocality(Scheduler):
    name = "image-locality.py"
    wants_image_cache = True  # PlacementRound.image_cache: what each agent lacks of each image

    def on_round(self, r):
        warmed = set()  # (agent, image) placed this round: its pull will be shared
        unplaceable = set()
        for t in range(r.task_count):
            if r.exhausted():
                break
            shape = r.task_shape[t]
            if shape in unplaceable:
                continue
            image = r.task_image[t]
            best, best_score = None, 0.0
            for o in range(r.offer_count):
                if not r.can_place(t, o):
                    continue
                if image < 0 or (r.offer_agent[o], image) in warmed:
                    score = 0.0
                else:
                    score = r.image_missing_mib(o, image)
                if best is None or score < best_score:
                    best, best_score = o, score
            if best is None:
                unplaceable.add(shape)
                continue
            r.place(t, best)
            if image >= 0:
                warmed.add((r.offer_agent[best], image))


if __name__ == "__main__":
    run(ImageLocality())
