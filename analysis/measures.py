"""Derived quantities (rates, weighted means) computed per replicate.

Everything keeps the replicate dim so that charts can put 95% intervals on
it with stats.mean_ci. Rates pool counts first (sum of reports / sum of
victimisations), never average daily ratios, so a quiet day does not weigh
as much as a busy one.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .labelled import Labelled
from .stats import ratio, trailing_sum

# mixed_status is an overlay: its members are also in their own status group,
# so totals over residents must skip it. So is any later group of people living in
# mixed-status households (e.g. citizens in them): a name with "mixed" is an overlay.
OVERLAY_GROUPS = frozenset({"mixed_status"})


def is_overlay(group) -> bool:
    return str(group) in OVERLAY_GROUPS or "mixed" in str(group)
ALL = "all"
PER_YEAR = 365.0
# Every rate per resident in every report is per 10,000 residents (per year): one unit, so
# the scenario report, the sweep report and the brief can be read side by side.
PER_RESIDENTS = 10_000


def _sum_days(lab: Labelled, days) -> Labelled:
    """Sum over a half-open day range [start, stop); None means the whole run."""
    start, stop = (0, lab.values.shape[lab.axis("day")]) if days is None else days
    ax = lab.axis("day")
    vals = np.take(lab.values, np.arange(start, stop), axis=ax).sum(axis=ax)
    return lab._drop("day", vals)


class Measures:
    """Mixed into reader.Run; relies on its series() and coord()."""

    def _labelled(self, name: str) -> Labelled:
        return self.labelled(name)

    def base_groups(self) -> list:
        return [g for g in self.coord("group") if not is_overlay(g)]

    def _with_all(self, lab: Labelled) -> Labelled:
        """Append an 'all' group: the sum over non-overlay groups."""
        ax = lab.axis("group")
        idx = [lab.index("group", g) for g in self.base_groups()]
        total = np.take(lab.values, idx, axis=ax).sum(axis=ax, keepdims=True)
        groups = np.append(np.asarray(lab.coords["group"], dtype=object), ALL)
        return replace(lab, values=np.concatenate([lab.values, total], axis=ax),
                       coords=dict(lab.coords, group=groups))

    def group_counts(self, name: str, crime_type=None) -> Labelled:
        """A count series summed over jurisdictions (and crime types), plus 'all'."""
        lab = self._labelled(name)
        if "crime_type" in lab.dims:
            lab = lab.sel(crime_type=crime_type) if crime_type else lab.sum("crime_type")
        return self._with_all(lab.sum("jurisdiction"))

    def _rate(self, num: Labelled, den: Labelled, window: int, days, scale=1.0) -> Labelled:
        if days is not None:
            n, d = _sum_days(num, days), _sum_days(den, days)
            return replace(n, values=scale * ratio(n.values, d.values), units="")
        ax = num.axis("day")
        vals = scale * ratio(trailing_sum(num.values, window, ax),
                             trailing_sum(den.values, window, ax))
        return replace(num, values=vals, units="")

    def reporting_rate(self, window: int = 1, crime_type=None, days=None) -> Labelled:
        """Share of victimisations reported, [replicate, day, group] (or pooled over days)."""
        return self._rate(self.group_counts("reports", crime_type),
                          self.group_counts("victimisations", crime_type), window, days)

    def clearance_rate(self, window: int = 1, days=None) -> Labelled:
        """Share of reported crimes cleared, [replicate, (day,) crime_type]."""
        cleared = self._labelled("cleared").sum("jurisdiction")
        reports = self._labelled("reports").sum("jurisdiction")
        reports = reports.sel(group=self.base_groups()).sum("group")
        return self._rate(cleared, reports, window, days)

    def resident_days(self) -> Labelled:
        """Residents present per day, all non-overlay groups, [replicate, day]."""
        pop = self._labelled("population").sum("jurisdiction")
        return pop.sel(group=self.base_groups()).sum("group")

    def crime_rate(self, window: int = 1, days=None) -> Labelled:
        """Victimisations per 10,000 residents per year, [replicate, (day,) crime_type]."""
        vic = self._labelled("victimisations").sum("jurisdiction")
        vic = vic.sel(group=self.base_groups()).sum("group")
        pop = self.resident_days()
        pop = replace(pop, values=np.repeat(pop.values[..., None], vic.values.shape[-1], -1),
                      dims=pop.dims + ("crime_type",), coords=vic.coords)
        return self._rate(vic, pop, window, days, scale=PER_RESIDENTS * PER_YEAR)

    def weighted_mean(self, name: str) -> Labelled:
        """A per-resident mean (trust_mean, fear_mean...) over jurisdictions.

        Weighted by each jurisdiction-group's population that day; 'all'
        weighs the non-overlay groups the same way. [replicate, day, group].
        """
        mean, pop = self._labelled(name), self._labelled("population")
        ax = mean.axis("jurisdiction")
        w = pop.values.astype(float)
        num = Labelled(np.nansum(mean.values * w, axis=ax), _drop(mean.dims, "jurisdiction"),
                       {k: v for k, v in mean.coords.items() if k != "jurisdiction"})
        den = replace(num, values=np.where(np.isnan(mean.values), 0, w).sum(axis=ax))
        num, den = self._with_all(num), self._with_all(den)
        return replace(num, values=ratio(num.values, den.values), units=mean.units,
                       meaning=mean.meaning)

    def detention_counts(self, *keep: str, days=None) -> Labelled:
        """Detentions summed over everything except replicate and `keep` dims."""
        lab = _sum_days(self._labelled("detentions"), days)
        drop = [d for d in lab.dims if d not in ("replicate",) + keep]
        return lab.sum(*drop)


def _drop(dims: tuple, dim: str) -> tuple:
    return tuple(d for d in dims if d != dim)
