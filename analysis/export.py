"""CSV tables from trustsim files, for spreadsheets, R or anything that reads CSV.

    scripts/export out/sanctuary.h5 runs/pg.h5 -o tables/
        [--series reports --series population]   only these series (default: every one)
        [--sum jurisdiction]                      sum these dims away first (repeatable)
        [--by group]                              one column per label of this dim

For a run file, tables/<scenario>/ gets one CSV per series (long format: a column per
dim, then the value; with --by, one value column per label), detentions.csv (one row
per detention, codes spelled out) and neighbourhoods.csv; for a merged sweep,
tables/<sweep>/runs.csv: one row per run with its parameters, status and outputs.
Every folder also gets columns.csv: each table's value columns with units and meaning.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from .reader import FormatError, Run, Sweep, open_file


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(name)).strip("_") or "unnamed"


def series_table(run: Run, name: str, sum_dims=(), by: str | None = None) -> pd.DataFrame:
    da = run.series(name)
    units, meaning = da.attrs.get("units", ""), da.attrs.get("meaning", "")
    da = da.sum([d for d in sum_dims if d in da.dims])
    if da.ndim == 0:
        return pd.DataFrame({name: [da.item()]})
    table = da.to_series().rename(name)
    if by and by in da.dims:
        return table.unstack(by).add_prefix(f"{name}.").reset_index()
    out = table.reset_index()
    out.attrs.update(units=units, meaning=meaning)
    return out


def detention_table(run: Run) -> pd.DataFrame:
    """One row per detention; code columns (pathway, outcome, ...) as their labels."""
    ds = run.dataset("detentions")
    df = ds.to_dataframe()
    for col in df.columns:
        meanings = ds[col].attrs.get("flag_meanings")
        if meanings:
            labels = str(meanings).split()
            df[col] = [labels[int(v)] if 0 <= int(v) < len(labels) else v for v in df[col]]
    return df


def export_run(run: Run, folder: Path, series=None, sum_dims=(), by=None) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    names = series or list(run.dataset("series").data_vars)
    described, written = [], []
    for name in names:
        table = series_table(run, name, sum_dims, by)
        path = folder / f"{_slug(name)}.csv"
        table.to_csv(path, index=False)
        da = run.series(name)
        described.append((path.name, name, da.attrs.get("units", ""), da.attrs.get("meaning", "")))
        written.append(path)
    for table, frame in (("detentions.csv", detention_table(run)),
                         ("neighbourhoods.csv", run.dataset("neighbourhoods").to_dataframe())):
        frame.to_csv(folder / table)
        group = run.dataset(table[:-4])
        described += [(table, c, group[c].attrs.get("units", ""), group[c].attrs.get("meaning", ""))
                      for c in frame.columns]
        written.append(folder / table)
    pd.DataFrame(described, columns=["table", "column", "units", "meaning"]).to_csv(
        folder / "columns.csv", index=False)
    return written


def export_sweep(sweep: Sweep, folder: Path) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    df = sweep.outputs()
    df.to_csv(folder / "runs.csv")
    units = df.attrs["units"]
    pd.DataFrame([("runs.csv", c, units.get(c, ""), "parameter" if c in sweep.parameters else
                   "output" if c in sweep.output_names else "") for c in df.columns],
                 columns=["table", "column", "units", "meaning"]).to_csv(folder / "columns.csv",
                                                                         index=False)
    return [folder / "runs.csv"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/export", description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True, help="folder for the tables")
    ap.add_argument("--series", action="append", help="a series to export (repeatable)")
    ap.add_argument("--sum", action="append", default=[], dest="sum_dims",
                    help="a dim to sum away (repeatable), e.g. jurisdiction")
    ap.add_argument("--by", help="a dim whose labels become columns, e.g. group")
    args = ap.parse_args(argv)
    try:
        opened = [open_file(p) for p in args.files]
        for item in opened:
            if isinstance(item, Sweep):
                written = export_sweep(item, args.output / _slug(item.name))
            else:
                unknown = sorted(set(args.series or []) - set(item.dataset("series").data_vars))
                if unknown:
                    print(f"export: {item.path}: no series {', '.join(unknown)}", file=sys.stderr)
                    return 2
                written = export_run(item, args.output / _slug(item.name), args.series,
                                     args.sum_dims, args.by)
            print(f"export: {item.path} -> {len(written)} tables in "
                  f"{args.output / _slug(item.name)}")
    except FormatError as e:
        print(f"export: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
