"""A pure function of the metrics frame that counts its calls, for tests of `ui.data.derived`."""

from kesbang.analysis import regional

calls: list[int] = []


def region_scores(m):
    calls.append(len(m))
    return regional.region_scores(m)


def activities_per_region(ds):
    """A pure function of a Dataset (`source="dataset"`)."""
    calls.append(len(ds.nilai))
    return ds.nilai.groupby("region").size().rename("n").reset_index()
