"""Issue 13 item 3: the release files, read by OWL and OBO tools nobody here wrote.

- pronto (``pip install pronto``; OAK's ``pronto:`` adapter is pronto) loads
  ``netgraph.owl`` and sees the graph's classes, English labels, parents,
  definitions and definition sources;
- the OWL API (Debian's ``libowlapi-java`` 5.1.20, through
  ``tests/owlapi/ProfileCheck.java``) parses ``netgraph.owl``,
  ``netgraph-full.owl`` and the union ``netgraph.ttl`` with no unparsed triple
  and finds no OWL 2 DL profile violation;
- the OWL files carry one ``rdfs:label`` per entity, the Dutch names as
  ``skos:prefLabel@nl`` (what ROBOT's ``multiple_labels`` check and OAK's
  single-label adapters expect);
- the RDF/XML writer is deterministic across hash seeds and writes any graph
  back exactly (escaping, lists, shared and cyclic blank nodes).

Without Java or the OWL API jars the OWL API test skips locally with the
reason, and fails under ``CI=true`` (``.ci/run`` installs them).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from netgraph.errors import InputError
from netgraph.prefixes import expand
from netgraph.stores.owlview import owl_view
from netgraph.stores.rdfxml import write_rdfxml

HERE = Path(__file__).resolve().parent
PROFILE_CHECK = HERE / "owlapi" / "ProfileCheck.java"
JAVA_DIR = "/usr/share/java"
#: the OWL API and the Debian packages libowlapi-java depends on (jsonld-java comes with librdf4j-java: the OWL
#: API tries its JSON-LD parser on a file the others reject, and fails with NoClassDefFoundError without it)
OWLAPI_JARS = ("owlapi-distribution", "atinject-jsr330-api", "caffeine", "commons-codec", "commons-io",
               "commons-logging", "commons-rdf-api", "guava", "hppcrt", "httpclient", "httpcore",
               "jackson-annotations", "jackson-core", "jackson-databind", "jsonld-java", "jsr305", "slf4j-api",
               "slf4j-nop", "xz")
IN_CI = os.environ.get("CI") == "true"

OWL = rdflib.Namespace(expand("owl:"))
OWL_NS, RDF_NS = "{" + expand("owl:") + "}", "{" + expand("rdf:") + "}"
SKOS = rdflib.Namespace(expand("skos:"))
IAO_DEFINITION = rdflib.URIRef(expand("IAO:0000115"))
DEFINITION_SOURCE = rdflib.URIRef(expand("netgraph:definitionSource"))


@pytest.fixture(scope="module")
def released(release_dir) -> Path:
    return release_dir[0]  # one release per session (conftest.py), shared with test_release.py


@pytest.fixture(scope="module")
def ontology(paths) -> rdflib.Graph:
    """The ontology graph as built (Turtle), to compare what the tools see with."""
    return rdflib.Graph().parse(paths.ontology_release, format="turtle")


def _named_classes(g: rdflib.Graph) -> set[str]:
    return {str(s) for s in g.subjects(rdflib.RDF.type, OWL.Class) if isinstance(s, rdflib.URIRef)}


# -- pronto ---------------------------------------------------------------------------------------------------

def test_pronto_reads_netgraph_owl(released, ontology):
    import pronto  # in the [test] extra
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        onto = pronto.Ontology(str(released / "netgraph.owl"), encoding="utf-8")
    several = [str(w.message) for w in caught if "several names" in str(w.message)]
    assert several == []  # one rdfs:label per class (it warned for the 12 classes with a Dutch label)
    classes = _named_classes(ontology)
    terms = {t.id: t for t in onto.terms()}
    assert set(terms) == classes and len(terms) > 250
    for iri in classes:
        node = rdflib.URIRef(iri)
        english = [str(o) for o in ontology.objects(node, rdflib.RDFS.label) if o.language == "en"]
        assert [terms[iri].name] == english, iri
        parents = {str(o) for o in ontology.objects(node, rdflib.RDFS.subClassOf)
                   if isinstance(o, rdflib.URIRef) and o != OWL.Thing}
        assert {p.id for p in terms[iri].superclasses(distance=1, with_self=False)} == parents, iri
        definitions = [str(o) for o in ontology.objects(node, IAO_DEFINITION)]
        assert (str(terms[iri].definition) if terms[iri].definition else None) == (definitions[0] if definitions
                                                                                   else None), iri
        sources = {"ngsrc:" + str(o).rsplit("/", 1)[1] for o in ontology.objects(node, DEFINITION_SOURCE)}
        if definitions:
            assert {x.id for x in terms[iri].definition.xrefs} == sources, iri
    relationships = {r.id for r in onto.relationships()}
    assert expand("netgraph:hasPrimarySite") in relationships


def test_owl_files_have_one_label_per_entity_and_keep_the_dutch_names(released, ontology):
    for name in ("netgraph.owl", "netgraph-full.owl"):
        g = rdflib.Graph().parse(released / name, format="xml")
        subjects = set(g.subjects(rdflib.RDFS.label, None))
        several = sorted(str(s) for s in subjects if len(list(g.objects(s, rdflib.RDFS.label))) > 1)
        assert several == [], f"{name}: {several[:5]}"
        for s, label in ontology.subject_objects(rdflib.RDFS.label):
            if label.language == "nl":
                assert (s, SKOS.prefLabel, label) in g, (name, s, label)
                assert (s, rdflib.RDFS.label, label) not in g
    dutch = [(s, o) for s, o in ontology.subject_objects(rdflib.RDFS.label) if o.language == "nl"]
    assert len(dutch) >= 10  # the check above had something to check


def test_owl_view_moves_labels_and_annotates_definition_sources():
    t = ox.NamedNode("https://w3id.org/netgraph/T")
    src = ox.NamedNode("https://w3id.org/netgraph/source/s1")
    record = ox.NamedNode("https://w3id.org/netgraph/statement/mapping-1")
    label, definition = ox.NamedNode(expand("rdfs:label")), ox.NamedNode(expand("IAO:0000115"))
    triples = [ox.Triple(t, label, ox.Literal("tumour", language="en")),
               ox.Triple(t, label, ox.Literal("tumor", language="nl")),
               ox.Triple(t, label, ox.Literal("gezwel", language="nl")),
               ox.Triple(t, definition, ox.Literal("A growth.", language="en")),
               ox.Triple(t, ox.NamedNode(expand("netgraph:definitionSource")), src),
               ox.Triple(record, ox.NamedNode(expand("rdf:type")), ox.NamedNode(expand("owl:Axiom"))),
               ox.Triple(record, ox.NamedNode(expand("owl:annotatedSource")), t)]
    view = owl_view(triples)
    g = rdflib.Graph()
    g.parse(data=write_rdfxml(view, {}).decode(), format="xml")
    T = rdflib.URIRef(t.value)
    assert list(g.objects(T, rdflib.RDFS.label)) == [rdflib.Literal("tumour", lang="en")]
    assert set(g.objects(T, SKOS.prefLabel)) | set(g.objects(T, SKOS.altLabel)) == {
        rdflib.Literal("tumor", lang="nl"), rdflib.Literal("gezwel", lang="nl")}
    assert len(list(g.objects(T, SKOS.prefLabel))) == 1  # one preferred label per language
    axiom = g.value(predicate=OWL.annotatedSource, object=T)
    assert axiom is not None and isinstance(axiom, rdflib.BNode)
    assert g.value(axiom, OWL.annotatedProperty) == IAO_DEFINITION
    assert str(g.value(axiom, rdflib.URIRef(expand("oboInOwl:hasDbXref")))) == "ngsrc:s1"
    assert (rdflib.URIRef(record.value), None, None) not in g  # the IRI-named record is left out
    for prop in ("skos:prefLabel", "skos:altLabel", "oboInOwl:hasDbXref"):  # introduced, so declared
        assert (rdflib.URIRef(expand(prop)), rdflib.RDF.type, OWL.AnnotationProperty) in g


# -- the OWL API ----------------------------------------------------------------------------------------------

def _owlapi_missing() -> str | None:
    if shutil.which("java") is None:
        return "`java` not found: apt-get install default-jdk-headless"
    absent = [j for j in OWLAPI_JARS if not Path(JAVA_DIR, j + ".jar").is_file()]
    if absent:
        return f"{', '.join(absent)} not in {JAVA_DIR}: apt-get install libowlapi-java"
    modules = subprocess.run(["java", "--list-modules"], capture_output=True, text=True).stdout
    if "jdk.compiler" not in modules:
        return "this Java runtime cannot run a source file (no jdk.compiler): apt-get install default-jdk-headless"
    return None


def _owlapi_classpath() -> str:
    jars = [str(Path(JAVA_DIR, j + ".jar")) for j in OWLAPI_JARS]
    jars += sorted(glob.glob(os.path.join(JAVA_DIR, "rdf4j-*.jar")))
    return os.pathsep.join(jars)


def test_owl_api_judges_the_release_owl_2_dl(released):
    reason = _owlapi_missing()
    if reason:
        if IN_CI:
            pytest.fail(f"CI must run the OWL API profile check: {reason}")
        pytest.skip(reason)
    files = [released / "netgraph.owl", released / "netgraph-full.owl", released / "netgraph.ttl"]
    run = subprocess.run(["java", "-Xmx2g", "-cp", _owlapi_classpath(), str(PROFILE_CHECK), *map(str, files)],
                         capture_output=True, text=True, timeout=600)
    report: dict[str, dict[str, str]] = {}
    for line in run.stdout.splitlines():
        path, _, rest = line.partition("\t")
        key, _, value = rest.partition(": ")
        report.setdefault(Path(path).name, {})[key] = value
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    for f in files:
        seen = report[f.name]
        assert seen["violations"] == "0" and seen["unparsed triples"] == "0", seen
        assert int(seen["classes"]) > 250
    assert report["netgraph.owl"]["format"] == report["netgraph-full.owl"]["format"] == "RDF/XML Syntax"
    # the union in Turtle and in RDF/XML are the same OWL ontology to the OWL API
    assert report["netgraph-full.owl"]["axioms"] == report["netgraph.ttl"]["axioms"]


# -- the RDF/XML writer ---------------------------------------------------------------------------------------

def test_rdfxml_has_typed_nodes_and_the_ontology_first(released):
    root = ET.parse(released / "netgraph.owl").getroot()
    children = list(root)
    assert children[0].tag == OWL_NS + "Ontology"
    tags = {c.tag for c in children}
    assert OWL_NS + "Class" in tags and OWL_NS + "ObjectProperty" in tags
    assert OWL_NS + "AnnotationProperty" in tags
    described = [c for c in children if c.tag == RDF_NS + "Description"]
    assert described == []  # every subject of the ontology has a type
    # restrictions are nested where they are used (pronto reads them only there)
    nested = root.findall(OWL_NS + "Class/{" + expand("rdfs:") + "}subClassOf/" + OWL_NS + "Restriction")
    assert nested


def test_rdfxml_is_the_same_bytes_under_any_hash_seed(tmp_path, root):
    script = ("import sys; from netgraph.stores.export import export; "
              "export('rdfxml', sys.argv[1], root=sys.argv[2])")
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.owl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out), str(root)], check=True, env=env, timeout=300)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].startswith(b'<?xml version="1.0" encoding="utf-8"?>')


def _iri(local: str) -> ox.NamedNode:
    return ox.NamedNode("https://w3id.org/netgraph/" + local)


def test_rdfxml_writer_round_trips_awkward_graphs():
    s, p, q = _iri("S"), _iri("p"), _iri("q")
    b1, b2, b3, shared = ox.BlankNode("x1"), ox.BlankNode("x2"), ox.BlankNode("x3"), ox.BlankNode("shared")
    rdf_first, rdf_rest = ox.NamedNode(expand("rdf:first")), ox.NamedNode(expand("rdf:rest"))
    nil = ox.NamedNode(expand("rdf:nil"))
    l1, l2 = ox.BlankNode("l1"), ox.BlankNode("l2")
    triples = [
        ox.Triple(s, p, ox.Literal('a < b & "c" \r\n\ttab')),
        ox.Triple(s, p, ox.Literal("neuro-endocriene tumor", language="nl")),
        ox.Triple(s, p, ox.Literal("3", datatype=ox.NamedNode(expand("xsd:integer")))),
        ox.Triple(s, ox.NamedNode("http://purl.obolibrary.org/obo/IAO_0000115"), ox.Literal("d")),
        ox.Triple(s, ox.NamedNode("http://example.org/other#prop"), ox.NamedNode("http://example.org/a?x=1&y=2")),
        ox.Triple(s, q, l1),  # a list of literals cannot be a Collection
        ox.Triple(l1, rdf_first, ox.Literal("one")), ox.Triple(l1, rdf_rest, l2),
        ox.Triple(l2, rdf_first, ox.Literal("two")), ox.Triple(l2, rdf_rest, nil),
        ox.Triple(s, p, shared), ox.Triple(_iri("T"), p, shared), ox.Triple(shared, q, ox.Literal("twice")),
        ox.Triple(b1, p, b2), ox.Triple(b2, p, b3), ox.Triple(b3, p, b1),  # a cycle of blank nodes
    ]
    data = write_rdfxml(sorted(triples, key=str), {"netgraph": "https://w3id.org/netgraph/"})
    back = rdflib.Graph().parse(data=data.decode(), format="xml")
    expected = rdflib.Graph()
    from netgraph.rdfterms import to_rdflib

    for t in triples:
        expected.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    from rdflib.compare import isomorphic

    assert len(back) == len(expected) and isomorphic(back, expected)
    assert b'xmlns:obo="http://purl.obolibrary.org/obo/"' in data and b"<obo:IAO_0000115>d</obo:IAO_0000115>" in data
    assert write_rdfxml(sorted(triples, key=str), {"netgraph": "https://w3id.org/netgraph/"}) == data


@pytest.mark.parametrize("triple, message", [
    (ox.Triple(_iri("S"), ox.NamedNode("http://example.org/123"), ox.Literal("x")), "no XML local name"),
    (ox.Triple(_iri("S"), _iri("p"), ox.Literal("bell\x07")), r"U\+0007"),
])
def test_rdfxml_writer_refuses_what_rdfxml_cannot_say(triple, message):
    with pytest.raises(InputError, match=message):
        write_rdfxml([triple], {})
