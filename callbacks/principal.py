"""The signed-in viewer, read at the edge: callbacks ask here and pass the tier (or the policy it
gives) down as a value; services and layout never import ``security``.

The request gate (``security``) has already identified the principal before a callback runs (the
demo principal, police tier, when login is off).
"""

from __future__ import annotations

from reports.disclosure import TierPolicy, policy
from security.access import Principal, current_principal


def viewer() -> Principal:
    """The current request's principal."""
    return current_principal()


def viewer_tier() -> str:
    """'police' or 'kommun' for the current request's user."""
    return current_principal().tier


def viewer_policy() -> TierPolicy:
    """What the current request's user may see (:class:`reports.disclosure.TierPolicy`)."""
    return policy(viewer_tier())
