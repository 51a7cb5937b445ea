"""Run the real ``kgx`` command line with the Biolink Model of the installed ``biolink-model`` package.

KGX 2.6 (through bmt) downloads the Biolink schema, its predicate map and three
JSON-LD contexts from GitHub when it is imported; this machine has no network.
This wrapper hands KGX the same things from local files and then runs KGX's own
click command line unchanged (``python tests/kgx_offline.py CONTEXT validate …``):

- the schema: ``biolink_model/schema/biolink_model.yaml`` of the package;
- the ``biolink`` JSON-LD context: the file CONTEXT (the tests write the package's
  ``biolink-model-prefix-map.json`` there, extended with netgraph's own prefixes,
  which Biolink cannot know);
- the predicate map (used only to translate non-Biolink predicates, which the
  export does not have) and KGX's fallback Monarch/OBO contexts: empty.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from importlib import resources


def main() -> None:
    context = sys.argv.pop(1)
    import bmt.toolkit

    schema = str(resources.files("biolink_model").joinpath("schema/biolink_model.yaml"))
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})

    import kgx.config

    empty = os.path.join(tempfile.mkdtemp(prefix="kgx-context-"), "empty.jsonld")
    with open(empty, "w", encoding="utf-8") as fh:
        json.dump({"@context": {}}, fh)
    kgx.config.get_config()["jsonld-context"] = {"biolink": context, "monarch_context": empty, "obo_context": empty}

    from kgx.cli import cli

    sys.argv[0] = "kgx"
    cli()


if __name__ == "__main__":
    main()
