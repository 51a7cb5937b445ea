"""A query's ``#+`` header is parsed as YAML once, then read back as JSON by the hash of its text."""

from __future__ import annotations

import sys

import pytest

from netgraph.catalogue import parse_query_text
from netgraph.errors import QueryError
from netgraph.storecache import CACHE_DIR_ENV

QUERY = """#+ summary: Tumours by label
#+ description: Every tumour class whose label contains the text.
#+ params:
#+   text:
#+     type: string
#+     description: part of a label
#+     default: insulin
#+   limit:
#+     type: integer
#+     description: at most this many rows
#+     default: 10
#+ tags: [tumours]

SELECT ?_text ?_limit ?tumour WHERE { ?tumour ?p ?_text } LIMIT 10
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "query-headers"


def _files(cache) -> list:
    return sorted(cache.glob("*.json")) if cache.is_dir() else []


def test_a_parsed_header_is_kept_and_read_back_without_yaml(cache, monkeypatch):
    first = parse_query_text(QUERY, "q")
    assert len(_files(cache)) == 1
    monkeypatch.setitem(sys.modules, "yaml", None)  # `import yaml` now fails: only the cache can answer
    again = parse_query_text(QUERY, "q")
    assert again == first
    assert [p.name for p in again.params] == ["text", "limit"]  # declared order kept
    assert again.param("limit").default == 10 and again.tags == ("tumours",)


def test_an_edited_header_is_parsed_again(cache):
    parse_query_text(QUERY, "q")
    edited = parse_query_text(QUERY.replace("default: insulin", "default: gastrin"), "q")
    assert edited.param("text").default == "gastrin"
    assert len(_files(cache)) == 2


def test_a_header_json_would_change_is_not_kept(cache):
    dated = QUERY.replace("#+ tags: [tumours]", "#+ tags: [tumours]\n#+ reviewed: 2026-01-05")
    q = parse_query_text(dated, "q")
    assert q.summary == "Tumours by label"
    assert _files(cache) == []  # a YAML date is not JSON: parsed again next time, never altered


def test_a_bad_header_is_an_error_every_time_and_never_kept(cache):
    bad = QUERY.replace("#+ tags: [tumours]", "#+ tags: [tumours")
    for _ in range(2):
        with pytest.raises(QueryError, match="header is not valid YAML"):
            parse_query_text(bad, "q")
    assert _files(cache) == []


def test_a_corrupt_cache_file_is_ignored(cache):
    parse_query_text(QUERY, "q")
    (only,) = _files(cache)
    only.write_text("{not json", encoding="utf-8")
    assert parse_query_text(QUERY, "q").param("limit").default == 10


def test_a_cache_that_cannot_be_written_is_ignored(tmp_path, monkeypatch):
    # the cache folder is a file (as unwritable as it gets, even for root): the header is parsed each time
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker))
    assert parse_query_text(QUERY, "q").summary == "Tumours by label"
