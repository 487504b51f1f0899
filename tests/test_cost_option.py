"""``--cost NAME=NS``: every name is a price the model charges; any other is a one-line error (issue 16)."""

from __future__ import annotations

import pytest

from gomem.runtime.sched import CostModel

from clihelpers import gomem

RUN = ["run", "binary-trees", "--param", "depth=4"]


@pytest.mark.parametrize("name", ["alloc_large", "zero_per_kib", "nope"])
def test_unknown_cost_is_one_line_naming_it_and_the_valid_ones(name: str) -> None:
    rc, out, err = gomem(*RUN, "--cost", f"{name}=1")
    assert (rc, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith(f"gomem: unknown cost '{name}' (costs: alloc, alloc_refill, ")
    assert all(n in err for n in CostModel.names())


def test_removed_fields_are_gone() -> None:
    assert "alloc_large" not in CostModel.names() and "zero_per_kib" not in CostModel.names()


def test_known_cost_without_value() -> None:
    rc, out, err = gomem(*RUN, "--cost", "stw")
    assert (rc, out, err) == (2, "", "gomem: cost stw: want stw=NS, a price in model ns\n")


def test_known_cost_changes_the_run() -> None:
    base = gomem(*RUN)[1]
    dearer = gomem(*RUN, "--cost", "alloc=1000")[1]
    assert base != dearer and "model time:" in dearer
