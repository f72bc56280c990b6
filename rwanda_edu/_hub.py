"""Who the student is on a JupyterHub: the hub account, never a typed name.

JupyterHub starts every single-user server with ``JUPYTERHUB_USER`` set to the account that
logged in. Where it is set, answers, hand-ins and feedback are filed under that account; a
name typed in the start-here lesson cannot change whose hand-in it is.
"""
from __future__ import annotations

import os

from ._i18n import _

HUB_USER = "JUPYTERHUB_USER"


def hub_user() -> str | None:
    """The JupyterHub account of this session (checked like a typed name), or None off a hub."""
    from .responses import validate_student_name

    user = os.environ.get(HUB_USER, "").strip()
    if not user:
        return None
    try:
        return validate_student_name(user)
    except ValueError as error:
        raise ValueError(_("the JupyterHub account name {user!r} cannot be used: {error}").format(
            user=user, error=error)) from None
