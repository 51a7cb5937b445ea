"""One prefix map: every prefix used anywhere in the repository is in it (issue 2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netgraph.prefixes import compress, converter, expand, prefix_map, sparql_prolog
from netgraph.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
DECLARATION = re.compile(r"(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
TEXT_SUFFIXES = {".ttl", ".rq", ".py", ".md", ".tsv", ".sparql", ".jsonld", ".json"}


def repo_text_files():
    skip = {".git", ".venv", "__pycache__", ".pytest_cache"}
    for p in sorted(ROOT.rglob("*")):
        if p.is_file() and p.suffix in TEXT_SUFFIXES and not (set(p.relative_to(ROOT).parts) & skip):
            yield p


def test_every_declared_prefix_is_in_the_map_with_the_same_namespace():
    pm = prefix_map()
    problems = []
    for path in repo_text_files():
        if path.name == "test_prefixes.py":
            continue
        for prefix, uri in DECLARATION.findall(path.read_text(encoding="utf-8", errors="replace")):
            if not prefix:
                continue
            if prefix not in pm:
                problems.append(f"{path.relative_to(ROOT)}: prefix {prefix!r} is not in netgraph/prefixes.tsv")
            elif pm[prefix] != uri:
                problems.append(f"{path.relative_to(ROOT)}: {prefix}: <{uri}> differs from the map's <{pm[prefix]}>")
    assert problems == []


def test_curies_in_curated_tables_use_known_prefixes():
    pm = prefix_map()
    problems = []
    sssom = ROOT / "data" / "mappings" / "netgraph.sssom.tsv"
    for row in read_table(sssom, ["subject_id", "predicate_id", "object_id", "mapping_justification"],
                          [c for c in _header(sssom) if c not in
                           ("subject_id", "predicate_id", "object_id", "mapping_justification")]):
        for col in ("subject_id", "predicate_id", "object_id", "mapping_justification"):
            prefix = row[col].split(":", 1)[0]
            if prefix not in pm:
                problems.append(f"{sssom.name}:{row.line}: {col} prefix {prefix!r}")
    assoc = ROOT / "data" / "tables" / "associations.tsv"
    for row in read_table(assoc, ["kind"], _header(assoc)[1:]):
        if row["source_record"] and row["source_record"].split(":", 1)[0] not in pm:
            problems.append(f"{assoc.name}:{row.line}: source_record {row['source_record']!r}")
    assert problems == []


def test_sssom_curie_map_matches_the_prefix_map():
    import yaml

    text = (ROOT / "data" / "mappings" / "netgraph.sssom.tsv").read_text(encoding="utf-8")
    meta = yaml.safe_load("\n".join(line[1:] for line in text.splitlines() if line.startswith("#")))
    pm = prefix_map()
    assert {k: pm.get(k) for k in meta["curie_map"]} == meta["curie_map"]


def test_prefixed_names_in_queries_are_in_the_map():
    pm = prefix_map()
    name = re.compile(r"(?<![\w<\"'/#:?.-])([A-Za-z][\w-]*):(?=[A-Za-z0-9_])")
    problems = []
    for path in sorted((ROOT / "queries").rglob("*.rq")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            code = re.sub(r'"(?:[^"\\]|\\.)*"|<[^>\s]*>', "", line)
            for prefix in name.findall(code):
                if prefix not in pm:
                    problems.append(f"{path.relative_to(ROOT)}:{lineno}: {prefix}:")
    assert problems == []


def _header(path: Path) -> list[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            return line.split("\t")
    return []


@pytest.mark.parametrize(
    "curie, iri",
    [
        ("ORPHA:97253", "http://www.orpha.net/ORDO/Orphanet_97253"),
        ("MONDO:0019954", "http://purl.obolibrary.org/obo/MONDO_0019954"),
        ("HP:0001943", "http://purl.obolibrary.org/obo/HP_0001943"),
        ("UBERON:0001264", "http://purl.obolibrary.org/obo/UBERON_0001264"),
        ("CHEBI:145810", "http://purl.obolibrary.org/obo/CHEBI_145810"),
    ],
)
def test_orpha_and_obo_expansion(curie, iri):
    assert expand(curie) == iri
    assert compress(iri) == curie


def test_orphanet_synonyms_normalise_to_orpha():
    conv = converter()
    for spelling in ("Orphanet:97253", "ORPHANET:97253", "ORDO:97253"):
        assert conv.standardize_curie(spelling) == "ORPHA:97253"


def test_sparql_prolog_only_declares_used_prefixes():
    prolog = sparql_prolog("SELECT ?x WHERE { ?x rdfs:label ?l ; skos:exactMatch ORPHA:1 }")
    assert "PREFIX rdfs:" in prolog and "PREFIX skos:" in prolog and "PREFIX ORPHA:" in prolog
    assert "PREFIX MONDO:" not in prolog


# -- namespaces typed in Python code (issue 11 item 2) ------------------------------------------------------

#: (file, IRI) -> why this namespace IRI may stay written out in Python. Code takes every namespace from
#: the prefix map (netgraph.prefixes: expand, namespace, NETGRAPH, GRAPH, ...); what is left is prose.
NAMESPACE_ALLOW_LIST: dict[tuple[str, str], str] = {
    ("netgraph/rdfterms.py", "http://www.w3.org/2001/XMLSchema#decimal"):
        'doctest: shows the datatype IRI a converted literal keeps, and the doctest run checks it',
    ("netgraph/stores/rdfxml.py", "https://w3id.org/netgraph/C"):
        'doctest: an example class IRI in the written RDF/XML',
    ("netgraph/stores/rdfxml.py", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"):
        'doctest: the example triple given to the writer',
    ("netgraph/stores/rdfxml.py", "http://www.w3.org/2002/07/owl#Class"):
        'doctest: the example triple given to the writer',
    ("netgraph/stores/rdfxml.py", "http://www.w3.org/2002/07/owl#"):
        'doctest: the namespace declaration the writer prints',
    ("netgraph/stores/rdfxml.py", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"):
        'doctest: the namespace declaration the writer prints',
    ("netgraph/stores/rdfxml.py", "http://purl.obolibrary.org/obo/"):
        'the conventional obo: namespace of OBO files, which the prefix map names per ontology (IAO:, ...) only',
    ("netgraph/cli/records_cmd.py", "https://w3id.org/netgraph/graph/records"):
        'CLI help text that shows the user a default (owned by netgraph/cli; the code uses GRAPH)',
    ("netgraph/cli/records_cmd.py", "https://w3id.org/netgraph/graph/records-knowledge"):
        'CLI help text that shows the user a default (owned by netgraph/cli; the code uses GRAPH)',
    ("netgraph/cli/store_cmd.py", "https://w3id.org/netgraph/graph/"):
        'CLI help text that shows the user a default (owned by netgraph/cli; the code uses GRAPH)',
    ("netgraph/crosswalk/normalise.py", "http://www.orpha.net/ORDO/Orphanet_97253"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/crosswalk/obsolete.py", "http://www.orpha.net/ontologies/ordo.owl"):
        "an error hint's example of an ontology document IRI (not a namespace)",
    ("netgraph/graphs.py", "https://w3id.org/netgraph/graph/ontology"):
        'docstring prose that tells a reader which IRI the code builds from the map',
    ("netgraph/graphs.py", "https://w3id.org/netgraph/graph/data"):
        'docstring prose that tells a reader which IRI the code builds from the map',
    ("netgraph/graphs.py", "https://w3id.org/netgraph/graph/mappings"):
        'docstring prose that tells a reader which IRI the code builds from the map',
    ("netgraph/graphs.py", "https://w3id.org/netgraph/graph/inferred"):
        'docstring prose that tells a reader which IRI the code builds from the map',
    ("netgraph/literals.py", "http://www.w3.org/2001/XMLSchema#decimal"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/literals.py", "http://www.w3.org/2001/XMLSchema#integer"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/prefixes.py", "http://www.orpha.net/ORDO/Orphanet_97253"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/prefixes.py", "http://purl.obolibrary.org/obo/MONDO_0019954"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/prefixes.py", "https://w3id.org/netgraph/Insulinoma"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/records/convert.py", "https://w3id.org/netgraph/record/"):
        'docstring prose that tells a reader which IRI the code builds from the map',
    ("netgraph/records/engine_remote.py", "https://w3id.org/netgraph/graph/records"):
        'docstring prose that tells a reader which IRI the code builds from the map',
    ("netgraph/records/engine_remote.py", "https://w3id.org/netgraph/graph/records-knowledge"):
        'docstring prose that tells a reader which IRI the code builds from the map',
    ("netgraph/stores/canonical.py", "https://w3id.org/netgraph/A"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/stores/canonical.py", "https://w3id.org/netgraph/p"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/stores/canonical.py", "https://w3id.org/netgraph/q"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/stores/jsonld.py", "https://w3id.org/netgraph/Insulin"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/stores/jsonld.py", "http://www.w3.org/2000/01/rdf-schema#label"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/stores/jsonld.py", "https://w3id.org/netgraph/"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/stores/jsonld.py", "http://www.w3.org/2000/01/rdf-schema#"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/stores/load.py", "https://w3id.org/netgraph/graph/"):
        'docstring prose that tells a reader which IRI the code builds from the map',
    ("netgraph/validation/report.py", "https://w3id.org/netgraph/Insulinoma"):
        'doctest: shows the IRI the prefix map gives, and the doctest run checks it',
    ("netgraph/validation/shapes.py", "http://www.orpha.net/ORDO/Orphanet_"):
        'doctest of xsd_escape: a namespace is the input it escapes',
    ("netgraph/validation/shapes.py", "http://www"):
        "doctest of xsd_escape: the escaped namespace's first characters",
}

_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>`(){}\[\]|\\]+")


def _string_constants(tree):
    """Every string constant of a module with its line: docstrings, literals and the text parts of f-strings."""
    import ast

    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def _namespace_hosts_and_prefixes():
    from netgraph.prefixes import prefixes

    namespaces = sorted({ns for p in prefixes() for ns in (p.uri_prefix, *p.uri_prefix_synonyms)}, key=len, reverse=True)
    hosts = {ns.split("/")[2] for ns in namespaces}
    return namespaces, hosts


def namespace_iris_in_python(root: Path) -> list[tuple[str, int, str]]:
    """(file, line, IRI) of every IRI in a string of netgraph/**/*.py that lies in (or on a host of) a namespace of the map."""
    import ast

    namespaces, hosts = _namespace_hosts_and_prefixes()
    found = []
    for path in sorted((root / "netgraph").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for line, text in _string_constants(tree):
            for iri in _URL_IN_TEXT.findall(text):
                iri = iri.rstrip(".,;:")
                host = iri.split("/")[2] if iri.count("/") >= 2 else ""
                if any(iri.startswith(ns) or ns.startswith(iri) for ns in namespaces) or host in hosts:
                    found.append((rel, line, iri))
    return found


def test_no_namespace_iri_is_typed_in_python_code():
    """Namespaces come from netgraph/prefixes.tsv; a namespace IRI in a Python string needs a reason here."""
    problems = [f"{rel}:{line}: {iri}" for rel, line, iri in namespace_iris_in_python(ROOT)
                if (rel, iri) not in NAMESPACE_ALLOW_LIST]
    assert problems == [], ("take these from netgraph.prefixes (expand('xsd:string'), namespace('owl'), NETGRAPH, "
                            "GRAPH, ...) or add them to NAMESPACE_ALLOW_LIST with a reason:\n" + "\n".join(problems))


def test_the_allow_list_holds_only_iris_still_in_the_code():
    found = {(rel, iri) for rel, _, iri in namespace_iris_in_python(ROOT)}
    assert sorted(set(NAMESPACE_ALLOW_LIST) - found) == []
    assert all(reason.strip() for reason in NAMESPACE_ALLOW_LIST.values())


def test_the_scanner_finds_a_namespace_typed_in_code(tmp_path):
    """The check can fail: a module that spells out the XSD namespace (or a netgraph IRI in an f-string) is caught."""
    from netgraph.prefixes import namespace

    pkg = tmp_path / "netgraph"
    pkg.mkdir()
    (pkg / "bad.py").write_text(f'XSD = "{namespace("xsd")}string"\nname = "x"\n'
                                f'IRI = f"{namespace("netgraph")}releases/{{1}}/x.ttl"\n'
                                'DOC = "see https://example.org/elsewhere"\n', encoding="utf-8")
    found = namespace_iris_in_python(tmp_path)
    assert [(line, iri) for _, line, iri in found] == [(1, namespace("xsd") + "string"),
                                                       (3, namespace("netgraph") + "releases/")]


# -- one mapping-predicate list (netgraph/crosswalk/predicates.tsv) -------------------------------------------


def test_every_list_of_mapping_predicates_is_the_one_list():
    """shapes.ttl, the canned queries and the Biolink table name exactly the predicates of predicates.tsv."""
    from netgraph.crosswalk.predicates import MAPPING_PREDICATES
    from netgraph.stores import biolink
    from netgraph.validation.shapes import MAPPING_PREDICATES as SHAPE_TARGETS

    one = set(MAPPING_PREDICATES)
    assert {t.value for t in SHAPE_TARGETS} == {expand(p) for p in one}
    assert one <= set(biolink.PREDICATES), "every mapping predicate has a Biolink predicate in netgraph/stores/biolink.tsv"
    match = re.compile(r"skos:\w+Match\b")
    lists = []
    shapes = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    lists += [set(match.findall(m)) for m in re.findall(r"sh:target(?:Subjects|Objects)Of ([^;.]*skos:\w+Match[^;.]*)", shapes)]
    for path in sorted((ROOT / "queries").rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        lists += [set(match.findall(m)) for m in re.findall(r"VALUES \?\w+ \{([^}]*)\}|(?:NOT )?IN \(([^)]*)\)", text)
                  for m in m if len(set(match.findall(m))) > 1]
    assert lists and all(found == one for found in lists), [sorted(found) for found in lists if found != one]


# -- one CURIE engine: the public API, the query parameters and the crosswalk agree (issue 11 item 2) ----------


@pytest.mark.parametrize("spelling", ["Orphanet:97253", "ORPHANET:97253", "ORDO:97253", "orpha:97253", "ORPHA:97253"])
def test_public_expand_accepts_what_the_parameters_accept(spelling):
    """The regression: netgraph.expand("Orphanet:97253") raised while coerce_iri accepted it."""
    import netgraph
    from netgraph.crosswalk import normalise
    from netgraph.params import coerce_iri

    iri = "http://www.orpha.net/ORDO/Orphanet_97253"
    assert netgraph.expand(spelling) == iri
    assert str(coerce_iri(spelling).iri) == iri
    assert normalise(spelling).candidates == ("ORPHA:97253",)
    assert netgraph.compress(iri) == "ORPHA:97253"


@pytest.mark.parametrize("bad", ["ORPHA:12ab", "MONDO:19954", "nosuch:1", "ORPHA97253"])
def test_every_caller_refuses_the_same_bad_curies(bad):
    from netgraph.crosswalk import normalise
    from netgraph.errors import IdentifierError, ParameterError
    from netgraph.params import coerce_iri

    with pytest.raises(IdentifierError):
        expand(bad)
    if ":" in bad and bad.split(":")[0] != "nosuch":
        with pytest.raises(ParameterError):
            coerce_iri(bad)
        assert not normalise(bad).ok


def test_uri_prefix_synonyms_compress_to_the_canonical_prefix():
    """A namespace listed as a synonym in prefixes.tsv reads as the canonical prefix; it is never written."""
    from netgraph.prefixes import prefixes

    rows = [p for p in prefixes() if p.uri_prefix_synonyms]
    assert rows, "prefixes.tsv lists URI-prefix synonyms (the Biolink Model's namespaces for OMIM and UMLS)"
    for p in rows:
        for ns in p.uri_prefix_synonyms:
            assert compress(ns + "X1") == f"{p.prefix}:X1"
    assert compress("http://purl.obolibrary.org/obo/OMIM_131100") == "OMIM:131100"
    assert expand("OMIM:131100") == prefix_map()["OMIM"] + "131100"  # written with the canonical namespace


def test_the_engine_answers_as_a_curies_converter_built_from_the_map():
    """curies is the reference: every spelling, every namespace and every code of the mappings agree with it."""
    from netgraph.prefixes import canonical_prefix, prefixes, standardize_curie

    conv = converter()
    for p in prefixes():
        for name in (p.prefix, *p.synonyms):
            assert canonical_prefix(name) == conv.standardize_prefix(name) == p.prefix
            if not p.local_pattern:
                assert standardize_curie(f"{name}:x") == conv.standardize_curie(f"{name}:x") == f"{p.prefix}:x"
        for ns in (p.uri_prefix, *p.uri_prefix_synonyms):
            assert compress(ns + "X1") == conv.compress(ns + "X1")
    sssom = ROOT / "data" / "mappings" / "netgraph.sssom.tsv"
    codes = {row["object_id"] for row in read_table(sssom, ["object_id"], [c for c in _header(sssom) if c != "object_id"])}
    assert len(codes) > 100
    for code in sorted(codes):
        iri = expand(code)
        assert iri == conv.expand(code)
        assert compress(iri) == conv.compress(iri) == code


def test_the_prolog_declares_exactly_the_prefixes_a_query_names():
    """One pass over the text finds the same prefixes as the definition, a search per prefix (regression:
    the per-prefix searches compiled about fifty patterns in every cold `netgraph query`)."""
    import random
    import re as regex

    from netgraph.prefixes import _IRI_OR_STRING, prefixes, sparql_prolog

    def by_definition(text: str) -> str:
        code = _IRI_OR_STRING.sub(" ", text)
        return "".join(f"PREFIX {p.prefix}: <{p.uri_prefix}>\n" for p in prefixes()
                       if regex.search(rf"(?<![\w.:-]){regex.escape(p.prefix)}:", code))

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").rglob("*.rq"))]
    texts += ["x.netgraph:a", "-rdfs:label", "?s skos:x", "<http://a/rdfs:x>", '"owl:x"', "a:rdfs:label", "é:x rdf:type",
              "netgraph.:x", "netgraph:"]
    pieces = [p.prefix for p in prefixes()] + [":", ".", "-", "_", " ", "x", "<", ">", '"', "'", "\n", "é", "?v", "#"]
    rng = random.Random(11)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    assert [sparql_prolog(used_in=t) for t in texts] == [by_definition(t) for t in texts]
    assert sparql_prolog(used_in="SELECT * { ?s rdfs:label ?o }") == f"PREFIX rdfs: <{prefix_map()['rdfs']}>\n"
