"""The CLI's names for the one code loader, ``headwater.location.code``.

``-f/-m/-a/-d`` make a :class:`CodePointer` (``CodeTarget`` here, as the commands call it);
everything else — importing, the rules, ``CodeLoadError`` — is the loader's.
"""

from __future__ import annotations

from headwater.location.code import (
    CodePointer,
    LoadedCode,
    get_definitions,
    get_job,
    get_pipeline_job,
    get_pipeline_preset,
    import_code,
    is_definitions,
    load_code,
)

CodeTarget = CodePointer  # the code the command line names

__all__ = [
    "CodeTarget",
    "LoadedCode",
    "get_definitions",
    "get_job",
    "get_pipeline_job",
    "get_pipeline_preset",
    "import_code",
    "is_definitions",
    "load_code",
]
