"""mulberry32, the seeded integer generator of src/core/rng.ts, transcribed to Python so that
golden files and references draw the same numbers (bootstrap indices, shuffles, noise) as the
TypeScript they check. One copy: golden_metrics.py, golden_curation.py and
evaluate/reference_evaluation.py all import it."""


def mulberry32(seed):
    """A function returning the next float in [0, 1), as `mulberry32(seed)` in src/core/rng.ts."""
    state = seed & 0xFFFFFFFF

    def imul(a, b):
        return (a * b) & 0xFFFFFFFF

    def nxt():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = imul(state ^ (state >> 15), 1 | state)
        t = ((t + imul(t ^ (t >> 7), 61 | t)) & 0xFFFFFFFF) ^ t
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296.0
    return nxt
