"""The UI fixtures (sandbox desks, pinned local time) for the safety tests too."""

from tests.ui.conftest import make_desk, sandbox, utc_local_time

__all__ = ["make_desk", "sandbox", "utc_local_time"]
