from __future__ import annotations

import pytest

from inspector.standard import RuleSet, load_ruleset
from tests.core.standard.helpers import SHIPPED


@pytest.fixture(scope="session")
def rs() -> RuleSet:
    return load_ruleset(SHIPPED)
