"""jsonschema, imported without its optional URI-format grammar.

jsonschema loads ``rfc3987_syntax`` if it is installed (JupyterLab brings it), and that
package builds a parser grammar on import: one to several seconds. Nothing here checks a
URI format, so the first import hides it. Plotly's notebook renderer imports nbformat,
which imports jsonschema, so charts call this before their first figure too.
"""
from __future__ import annotations

import sys


def jsonschema():
    """The ``jsonschema`` module, loaded without the URI-format grammar if not loaded yet."""
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # None makes its import fail, as if not installed
        try:
            import jsonschema
        finally:
            del sys.modules["rfc3987_syntax"]
    import jsonschema

    return jsonschema
