"""A pure function of the metrics frame that counts its calls, for tests of `ui.data.derived`."""

from kesbang import regional

calls: list[int] = []


def region_scores(m):
    calls.append(len(m))
    return regional.region_scores(m)
