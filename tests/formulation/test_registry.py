"""Every constraint family in the registry has its own test module (no family untested)."""

from pathlib import Path

import pytest

from scheduler.formulation import FAMILIES


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.ID)
def test_family_has_a_test_module(family):
    module = Path(__file__).parent / f"test_{family.ID}.py"
    assert module.is_file(), f"no tests for constraint family {family.ID}"
    assert f"FAMILY = {family.ID}" in module.read_text()
