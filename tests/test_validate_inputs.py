"""`netgraph validate FILE`: input read strictly, offline and within a size limit (issue 12, items 5-8).

Each test runs the real command on a real file (the small project of
``_validation_support`` keeps SHACL and QC fast); the remote-context tests
count the requests a real HTTP server on 127.0.0.1 receives.
"""

from __future__ import annotations

import http.server
import threading
import time

import pytest
from click.testing import CliRunner

from _validation_support import mini_root  # fixture
from netgraph.cli import main
from netgraph.validation.inputs import DEFAULT_MAX_BYTES

GOOD_TTL = "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n# a comment line\n"


def _validate(root, *args):
    return CliRunner().invoke(main, ["validate", "--root", str(root), "--no-reasoner", *map(str, args)])


def _assert_input_error(result, *needles):
    assert result.exit_code == 2, result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    for needle in needles:
        assert needle in result.stderr, result.stderr


# -- item 5: a term rdflib accepts and the QC store refuses ------------------------------------------------


@pytest.mark.parametrize("name, text, line", [
    ("b.ttl", GOOD_TTL + "<http://example.org/d> <http://example.org/e> <http://example.org/a b> .\n", 3),
    ("b.nt", "<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a b> <http://e/b> <http://e/c> .\n", 2),
    ("b.trig", "<http://e/g> {\n<http://e/a> <http://e/b> <http://e/c d> .\n}\n", 2),
])
def test_an_iri_with_a_space_is_exit_2_with_file_and_line(tmp_path, mini_root, name, text, line):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _assert_input_error(_validate(mini_root, path), f"{path}:{line}:", "IRI")


def test_an_iri_with_a_space_in_json_ld_is_no_traceback(tmp_path, mini_root):
    """JSON-LD processing drops an invalid IRI (as the JSON-LD algorithms say); it never reaches the QC store."""
    path = tmp_path / "b.jsonld"
    path.write_text('{"@id": "http://e/a b", "http://e/p": "x"}', encoding="utf-8")
    result = _validate(mini_root, path)
    assert result.exit_code in (0, 2) and isinstance(result.exception, (SystemExit, type(None))), result.output


def test_a_good_file_is_still_validated(tmp_path, mini_root):
    path = tmp_path / "good.ttl"
    path.write_text(GOOD_TTL, encoding="utf-8")
    result = _validate(mini_root, path)
    assert result.exit_code in (0, 1) and "conform" in result.stderr + result.stdout


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    from netgraph.validation.inputs import read_user_triples

    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    a.write_text('_:x <http://e/p> "a" .\n')
    b.write_text('_:x <http://e/p> "b" .\n')
    triples = read_user_triples([a, b])
    assert len(triples) == 2 and len({t.subject for t in triples}) == 2


# -- item 6: XML entities ------------------------------------------------------------------------------------


def _entity_bomb(levels: int = 5) -> str:
    ents = ['<!ENTITY e0 "' + "x" * 64 + '">']
    ents += [f'<!ENTITY e{i} "' + f"&e{i - 1};" * 10 + '">' for i in range(1, levels)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(ents) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
            f'  <rdf:Description rdf:about="http://example.org/a"><ex:p>&e{levels - 1};</ex:p></rdf:Description>\n'
            "</rdf:RDF>\n")


def test_nested_xml_entities_are_refused_quickly(tmp_path, mini_root):
    path = tmp_path / "bomb.rdf"
    path.write_text(_entity_bomb(6), encoding="utf-8")  # 1 KB that expands to 6 MB
    assert path.stat().st_size < 2_000
    start = time.perf_counter()
    result = _validate(mini_root, path)
    _assert_input_error(result, f"{path}:3:", "entity 'e0'")
    assert time.perf_counter() - start < 30


def test_rdf_xml_without_entities_is_read(tmp_path, mini_root):
    path = tmp_path / "plain.owl"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
                    '<rdf:Description rdf:about="http://example.org/a"><ex:p>x</ex:p></rdf:Description></rdf:RDF>\n')
    assert _validate(mini_root, path).exit_code in (0, 1)


# -- item 7: JSON-LD contexts in other documents ---------------------------------------------------------------


class _ContextServer:
    """A real HTTP server on 127.0.0.1 that serves a JSON-LD context and counts requests."""

    def __init__(self):
        self.requests = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests += 1
                body = b'{"@context": {"name": "http://example.org/name"}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/context.jsonld"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def context_server():
    server = _ContextServer()
    yield server
    server.close()


@pytest.mark.parametrize("shape", ["context", "import", "list"])
def test_a_remote_context_is_not_fetched(tmp_path, mini_root, context_server, shape):
    ctx = {"context": f'"{context_server.url}"', "import": f'{{"@import": "{context_server.url}"}}',
           "list": f'[{{"ex": "http://example.org/"}}, "{context_server.url}"]'}[shape]
    path = tmp_path / "remote.jsonld"
    path.write_text(f'{{"@context": {ctx}, "@id": "http://example.org/a", "name": "x"}}', encoding="utf-8")
    _assert_input_error(_validate(mini_root, path), str(path), context_server.url, "--allow-remote-context")
    assert context_server.requests == 0, "validate fetched the remote context"


def test_a_file_context_is_not_read(tmp_path, mini_root):
    secret = tmp_path / "secret.jsonld"
    secret.write_text('{"@context": {"name": "http://example.org/name"}}')
    path = tmp_path / "local.jsonld"
    path.write_text(f'{{"@context": "{secret.as_uri()}", "@id": "http://example.org/a", "name": "x"}}')
    _assert_input_error(_validate(mini_root, path), str(path), secret.as_uri())


def test_a_remote_context_is_fetched_when_asked(tmp_path, mini_root, context_server):
    path = tmp_path / "remote.jsonld"
    path.write_text(f'{{"@context": "{context_server.url}", "@id": "http://example.org/a", "name": "x"}}')
    result = CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner", "--allow-remote-context",
                                       str(path)])
    assert result.exit_code in (0, 1), result.output
    assert context_server.requests >= 1


def test_an_inline_context_needs_no_option(tmp_path, mini_root):
    path = tmp_path / "inline.jsonld"
    path.write_text('{"@context": {"name": "http://example.org/name"}, "@id": "http://example.org/a", "name": "x"}')
    assert _validate(mini_root, path).exit_code in (0, 1)


# -- item 8: the size limit ----------------------------------------------------------------------------------


def test_files_over_the_default_limit_are_refused_before_parsing(tmp_path, mini_root):
    path = tmp_path / "huge.nt"
    with open(path, "wb") as fh:
        fh.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: no disk, no parse
    start = time.perf_counter()
    result = _validate(mini_root, path)
    _assert_input_error(result, str(path), "over validate's limit of 50 MB", "--max-size", "netgraph load")
    assert time.perf_counter() - start < 10


def test_the_limit_counts_every_file_and_can_be_raised(tmp_path, mini_root):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    for p in (a, b):
        p.write_text(GOOD_TTL + "#" * 600 + "\n")  # ~700 bytes each, ~1.4 KB together
    limit = "0.001"  # MB: 1,048 bytes
    _assert_input_error(CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner",
                                                  "--max-size", limit, str(a), str(b)]), "over validate's limit")
    ok = CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner", "--max-size", "0.01",
                                   str(a), str(b)])
    assert ok.exit_code in (0, 1), ok.output
