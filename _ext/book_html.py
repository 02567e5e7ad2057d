"""Small Sphinx fixes for the HTML book.

Jupyter Book 1 registers some scripts twice (sphinx-thebe's configuration, the togglebutton
selector, MathJax). In a browser the second copy of ``const THEBE_JS_URL = ...`` throws
"Identifier has already been declared", and a second MathJax load throws "Cannot set property
Package". This extension keeps one copy of each script on every page: the last one, because
the last MathJax entry is the deferred one that runs after its ``window.MathJax`` settings.
"""

from __future__ import annotations


def _script_key(script) -> tuple[str, str]:
    filename = getattr(script, "filename", None) or ""
    body = (getattr(script, "attributes", None) or {}).get("body", "")
    return filename.split("?")[0], body


def dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in reversed(scripts):
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept[::-1]


def setup(app):
    # Run after every other handler has added its scripts.
    app.connect("html-page-context", dedupe_scripts, priority=1000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
