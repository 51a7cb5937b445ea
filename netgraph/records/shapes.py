"""The record rules as SHACL shapes, generated from the knowledge graph and the rule table.

Each rule of ``data/tables/record-rules.tsv`` (id, kind, severity, fields,
message, and the source and quote it rests on, or its basis) becomes one or
more SHACL Core node shapes targeting ``netgraph:TumourRecord``. What a rule
checks comes from the graph, so a curation change changes the check:

- code rules from the SSSOM mappings and the obsolete codes (one shape per
  obsolete code, naming its replacement);
- agreement of codes with the diagnosis from the class hierarchy;
- site and hormone rules from the universal class axioms (one shape per site or
  hormone, citing the classes whose axiom it is);
- NET/NEC rules from the hierarchy under NeuroendocrineTumour and
  NeuroendocrineCarcinoma.

The shapes navigate the knowledge (rdfs:subClassOf, netgraph:definedPrimarySite,
netgraph:definedSecretes, skos:broader) that :mod:`netgraph.records.knowledge`
adds beside the records. Constraints are SHACL Core; a rule that applies to some
records only (those with a NEC diagnosis, say) selects them with a SPARQL-based
target of SHACL Advanced Features, which pySHACL evaluates once per shape (a
``sh:sparql`` constraint would run once per record, and ``sh:or`` alternatives
each write a report, both far slower). A rule kind the generator does not know
is an error, never a silent skip. The one rule bound to the day of the check
(``date-not-future``) gets its bound when the check runs, so the generated file
stays the same from day to day.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

from ..errors import CurationError
from ..literals import canonical_decimal
from ..memgraph import MemoryGraph, Subject
from ..paths import ProjectPaths
from ..prefixes import NETGRAPH, SOURCE, prefix_map
from ..vocab import NG, RDF, RDFS, SH, SKOS, XSD
from .fields import FIELD_BY_NAME
from .ruletable import RecordRule, read_rules
from .knowledge import Knowledge

__all__ = ["records_shapes", "write_records_shapes", "rules_markdown", "RULE_KINDS", "SHAPE_BASE"]

SHAPE_BASE = prefix_map()["ngshape"] + "record-"
_SEVERITIES = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}
_CODE_SYSTEMS = {"orpha_code": "ORPHA", "icd10_code": "ICD10CM", "icdo3_morphology": "ICDO"}


def iri(term: ox.NamedNode | str) -> str:
    """An IRI (a term, or its text) as SPARQL text (the shapes' target queries use full IRIs: no prefix
    declarations needed)."""
    return f"<{term if isinstance(term, str) else term.value}>"


def _string(text: str) -> str:
    """A SPARQL string literal (only the generator's own patterns go through here)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Builder:
    def __init__(self, knowledge: Knowledge, index: Any, default_scheme: str | None = None,
                 paths: ProjectPaths | None = None):
        self.k = knowledge
        self.paths = paths
        self.index = index
        self.default_scheme = default_scheme  # a scheme IRI, or None for the graph's own default
        self.g = MemoryGraph()

    # -- small SHACL helpers ----------------------------------------------------------------

    def constrain(self, subject: Subject, **props: Any) -> None:
        """``subject sh:key value`` for each ``key=value``; a list or tuple value becomes an RDF list (of
        literals, where its members are not RDF terms)."""
        for key, value in props.items():
            if isinstance(value, (list, tuple)):
                value = self.g.add_list(v if isinstance(v, (ox.NamedNode, ox.BlankNode, ox.Literal)) else ox.Literal(v)
                                        for v in value)
            self.g.add((subject, SH[key], value))

    def node(self, **props: Any) -> ox.BlankNode:
        b = ox.BlankNode()
        self.constrain(b, **props)
        return b

    def path(self, *steps: ox.NamedNode | tuple[ox.NamedNode, str]) -> Subject:
        """A property path: one IRI, or a sequence; a step ``(iri, '*')`` is zero-or-more."""
        parts: list[Subject] = [self.node(zeroOrMorePath=step[0]) if isinstance(step, tuple) else step
                                for step in steps]
        return parts[0] if len(parts) == 1 else self.g.add_list(parts)

    def prop(self, path: Subject, **constraints: Any) -> ox.BlankNode:
        return self.node(path=path, **constraints)

    def target(self, where: str) -> ox.BlankNode:
        """A SPARQL-based target (SHACL-AF): the records ``where`` selects as ``$this``."""
        b = ox.BlankNode()
        self.g.add((b, RDF.type, SH.SPARQLTarget))
        self.g.add((b, SH.select, ox.Literal(f"SELECT $this WHERE {{ {where} }}")))
        return b

    def shape(self, rule: RecordRule, suffix: str, *, message: str | None = None, about: Iterable[str] = (),
              cite: tuple[str, str] | None = None, target: ox.BlankNode | None = None,
              property: Iterable[Subject] = (), **constraints: Any) -> ox.NamedNode:
        """The node shape of ``rule`` (its IRI ends in ``suffix``); ``cite``: the source IRI and quote it rests
        on, where not the rule's own."""
        node = ox.NamedNode(SHAPE_BASE + rule.id + (f"-{suffix}" if suffix else ""))
        g = self.g
        g.add((node, RDF.type, SH.NodeShape))
        if target is None:
            g.add((node, SH.targetClass, NG.TumourRecord))
        else:
            g.add((node, SH.target, target))
        g.add((node, SH.severity, _SEVERITIES[rule.severity]))
        g.add((node, SH.message, ox.Literal(message or rule.message, language="en")))
        g.add((node, NG.ruleId, ox.Literal(rule.id)))
        g.add((node, NG.ruleFields, ox.Literal("|".join(rule.fields))))
        if cite is None and rule.source:
            cite = (SOURCE + rule.source, rule.quote)
        if cite is not None:
            g.add((node, NG.ruleSource, ox.NamedNode(cite[0])))
            g.add((node, NG.ruleQuote, ox.Literal(cite[1])))
        if rule.basis:
            g.add((node, NG.ruleBasis, ox.Literal(rule.basis)))
        for cls in sorted(about):
            g.add((node, NG.ruleAbout, ox.NamedNode(cls)))
        for p in property:
            g.add((node, SH.property, p))
        self.constrain(node, **constraints)
        return node

    # -- rule kinds -------------------------------------------------------------------------
    #
    # Each shape is "for the records a rule applies to (its target), these simple constraints hold".
    # A rule that applies to some records only gets a SPARQL-based target (SHACL Advanced Features,
    # evaluated once per shape, not once per record); its constraints stay SHACL Core. Logical
    # constraints (sh:or) over every record are avoided: pySHACL evaluates every branch and writes a
    # report for each failing one, which made a check about thirty times slower.

    def required_id(self, rule: RecordRule) -> None:
        self.shape(rule, "", property=[self.prop(NG.recordId, minCount=ox.Literal(1), maxCount=ox.Literal(1))])

    def required_diagnosis(self, rule: RecordRule) -> None:
        props = [NG.diagnosis] + [NG[FIELD_BY_NAME[name].property] for name in rule.fields]
        self.shape(rule, "", target=self.target(
            f"$this a {iri(NG.TumourRecord)} . "
            f"FILTER NOT EXISTS {{ $this {'|'.join(iri(p) for p in props)} ?given }}"),
            property=[self.prop(NG.diagnosis, minCount=ox.Literal(1))])

    def resolves(self, rule: RecordRule) -> None:
        for name in rule.fields:
            f = FIELD_BY_NAME[name]
            self.shape(rule, name.replace("_", "-"), message=f"{rule.message} (field {name})",
                       property=[self.prop(NG[f.property], maxCount=ox.Literal(0))])

    def ki67_range(self, rule: RecordRule) -> None:
        self.shape(rule, "", property=[self.prop(NG.ki67Percent, datatype=XSD.decimal, maxCount=ox.Literal(1),
                                                 minInclusive=ox.Literal("0.0", datatype=XSD.decimal),
                                                 maxInclusive=ox.Literal("100.0", datatype=XSD.decimal))])

    def mitoses_range(self, rule: RecordRule) -> None:
        self.shape(rule, "", property=[self.prop(NG.mitoticCount, datatype=XSD.decimal, maxCount=ox.Literal(1),
                                                 minInclusive=ox.Literal("0.0", datatype=XSD.decimal))])

    _CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"grade": ("G1", "G2", "G3"), "differentiation": ("well", "poorly"),
                "functional_status": ("functional", "non-functional")}

    def choice(self, rule: RecordRule) -> None:
        for name in rule.fields:
            if name not in self._CHOICES:
                raise rule.row.error(f"field {name!r} has no controlled values (choice rules take "
                                     f"{', '.join(self._CHOICES)})")
            self.shape(rule, "" if len(rule.fields) == 1 else name.replace("_", "-"),
                       property=[self.prop(NG[FIELD_BY_NAME[name].property], maxCount=ox.Literal(1),
                                           **{"in": list(self._CHOICES[name])})])

    def date_valid(self, rule: RecordRule) -> None:
        self.shape(rule, "", property=[self.prop(NG.diagnosisDate, datatype=XSD.date, maxCount=ox.Literal(1))])

    def date_not_future(self, rule: RecordRule) -> None:
        # the bound (the day of the check) is added to the marked property shape when the check runs;
        # a value that is not a date at all is the date-valid rule's finding, not this one's
        bounded = self.prop(NG.diagnosisDate)
        self.g.add((bounded, NG.boundToCheckDate, ox.Literal(True)))
        self.shape(rule, "", target=self.target(
            f"$this {iri(NG.diagnosisDate)} ?date . FILTER(DATATYPE(?date) = {iri(XSD.date)})"),
            property=[bounded])

    def _code_fields(self, rule: RecordRule) -> Iterator[tuple[str, str]]:
        for name in rule.fields:
            if name in _CODE_SYSTEMS:
                yield name, _CODE_SYSTEMS[name]

    def _pattern(self, system: str) -> str:
        from ..prefixes import identifier_prefixes

        for p in identifier_prefixes():
            if p.prefix == system:
                local = p.local_pattern.removeprefix("^").removesuffix("$") if p.local_pattern else ".+"
                return f"^{system}:{local}$"
        raise CurationError("netgraph/prefixes.tsv", None, f"no identifier prefix {system}")

    def code_syntax(self, rule: RecordRule) -> None:
        for name, system in self._code_fields(rule):
            self.shape(rule, name.replace("_", "-"), message=f"{rule.message} ({name}: {system} codes look like "
                       f"{self._pattern(system)})",
                       property=[self.prop(NG[FIELD_BY_NAME[name].property], pattern=ox.Literal(self._pattern(system)))])

    def code_known(self, rule: RecordRule) -> None:
        for name, system in self._code_fields(rule):
            known = sorted(c for c in self.index.known_codes if c.startswith(system + ":"))
            if not known:
                continue
            prop = NG[FIELD_BY_NAME[name].property]
            # only well-formed codes: a malformed one is the code-well-formed rule's finding
            self.shape(rule, name.replace("_", "-"), message=f"{rule.message} (field {name})",
                       target=self.target(f"$this {iri(prop)} ?code . FILTER(REGEX(?code, {_string(self._pattern(system))}))"),
                       property=[self.prop(prop, **{"in": [ox.Literal(c) for c in known]})])

    def code_obsolete(self, rule: RecordRule) -> None:
        from ..crosswalk.obsolete import final_replacement

        for name, system in self._code_fields(rule):
            for code in sorted(c for c in self.index.obsolete if c.startswith(system + ":")):
                repl = final_replacement(code, dict(self.index.obsolete))
                hint = f"; use {repl}" if repl and repl != code else "; its publisher names no replacement"
                self.shape(rule, f"{name.replace('_', '-')}-{code.replace(':', '-').replace('/', '-')}",
                           message=f"{code} is obsolete{hint} (field {name})",
                           property=[self.prop(NG[FIELD_BY_NAME[name].property],
                                               **{"not": self.node(**{"in": [ox.Literal(code)]})})])

    def code_agrees(self, rule: RecordRule) -> None:
        diag, sub = iri(NG.diagnosis), iri(RDFS.subClassOf)
        for name, _system in self._code_fields(rule):
            coded = NG[FIELD_BY_NAME[name].resolved]
            # the records whose code names a class that is neither the diagnosis, nor above, nor below it
            self.shape(rule, name.replace("_", "-"), message=f"{rule.message} (field {name})", target=self.target(
                f"$this {iri(coded)} ?coded ; {diag} ?diagnosis . "
                f"FILTER NOT EXISTS {{ ?coded {sub}* ?diagnosis }} FILTER NOT EXISTS {{ ?diagnosis {sub}* ?coded }}"),
                property=[self.prop(coded, maxCount=ox.Literal(0))])

    def _axiom_rule(self, rule: RecordRule, axioms: list[tuple[str, str]], defined: str,
                    record_path: Callable[[], Any], given: str, var: str, message: str) -> None:
        """One shape per axiom value (a site, a hormone): the records whose diagnosis has that value by a
        universal class axiom (``defined``: the knowledge property that carries it) and that give the
        record property ``given`` (bound to ``?var`` in the target) must reach the value along the path
        ``record_path()`` makes (a fresh path per shape). ``message`` is formatted with ``{label}``, the
        value's local name."""
        by_value: dict[str, set[str]] = {}
        for cls, value in axioms:
            by_value.setdefault(value, set()).add(cls)
        for value in sorted(by_value):
            label = value.rsplit("/", 1)[-1]
            self.shape(rule, label, about=self._axiom_owners(by_value[value]), message=message.format(label=label),
                       target=self.target(f"$this {iri(NG.diagnosis)}/{iri(NG[defined])} {iri(value)} ; "
                                          f"{iri(NG[given])} ?{var} ."),
                       property=[self.prop(record_path(), hasValue=ox.NamedNode(value))])

    def site_axiom(self, rule: RecordRule) -> None:
        self._axiom_rule(rule, self.k.defined_site, "definedPrimarySite",
                         lambda: self.path(NG.primarySite, (SKOS.broader, "*")), "primarySite", "site",
                         "By definition the diagnosis arises in netgraph:{label}; the record's primary site "
                         "is neither it nor part of it")

    def secretes_axiom(self, rule: RecordRule) -> None:
        self._axiom_rule(rule, self.k.defined_secretes, "definedSecretes", lambda: NG.hormone, "hormone", "hormone",
                         "The diagnosis secretes netgraph:{label} by definition, but the hormones listed leave it out")

    def site_histology(self, rule: RecordRule) -> None:
        """One shape per ICD-O-3 morphology of SEER's site/histology validation list (the codes-only table
        :mod:`netgraph.records.seerlist` vendors): a record with that morphology and a full topography code
        (``C25.1``; a code without its subsite, or no code, is not checked) must have a topography the list
        gives for it."""
        from .seerlist import VENDORED_FILE, read_site_histology

        if self.paths is None:
            raise rule.row.error("the site/histology rule needs the project (its vendored SEER table)")
        # a scratch project without the table (a test tree, an extension) uses this checkout's, as the QC
        # queries do; a table that is there but empty is an error
        table = read_site_histology(self.paths.root) if (self.paths.root / VENDORED_FILE).is_file() \
            else read_site_histology(None)
        if not table:
            raise rule.row.error(f"the SEER site/histology table {VENDORED_FILE} is missing or empty",
                                 "regenerate it with `python -m netgraph.records.seerlist`")
        morph, topo = NG[FIELD_BY_NAME["icdo3_morphology"].property], NG[FIELD_BY_NAME["icdo3_topography"].property]
        for code, (sites, recodes) in table.items():
            self.shape(rule, code.replace(":", "-").replace("/", "-"),
                       message=f"{rule.message.removesuffix('.')} (SEER lists {code.removeprefix('ICDO:')} only at "
                               f"{'; '.join(recodes)})",
                       # the full-code test inside EXISTS: run on the few records with this morphology only
                       target=self.target(f"$this {iri(morph)} {_string(code)} . FILTER EXISTS {{ $this {iri(topo)} "
                                          f"?topography FILTER(REGEX(?topography, {_string('^C[0-9][0-9][.][0-9]$')})) }}"),
                       property=[self.prop(topo, **{"in": [ox.Literal(t) for t in sites]})])

    def _axiom_owners(self, classes: set[str]) -> set[str]:
        """The classes whose own axiom it is (not those that inherit it)."""
        return {c for c in classes if not any(p in classes for p in self.k.ancestors(c) - {c})}

    def _in_branch(self, root: str, rule: RecordRule, field_prop: str, wrong: tuple[str, ...]) -> None:
        self.shape(rule, "", about={NETGRAPH + root},
                   target=self.target(f"$this {iri(NG.diagnosis)}/{iri(RDFS.subClassOf)}* {iri(NG[root])} ."),
                   property=[self.prop(NG[field_prop], **{"not": self.node(**{"in": list(wrong)})})])

    def nec_differentiation(self, rule: RecordRule) -> None:
        self._in_branch("NeuroendocrineCarcinoma", rule, "differentiation", ("well",))

    def nec_grade(self, rule: RecordRule) -> None:
        self._in_branch("NeuroendocrineCarcinoma", rule, "grade", ("G1", "G2"))

    def net_differentiation(self, rule: RecordRule) -> None:
        self._in_branch("NeuroendocrineTumour", rule, "differentiation", ("poorly",))

    def nonfunctional_syndrome(self, rule: RecordRule) -> None:
        self.shape(rule, "", target=self.target(f"$this {iri(NG.functionalStatus)} \"non-functional\" ."),
                   property=[self.prop(NG.clinicalSyndrome, maxCount=ox.Literal(0))])

    def functional_class(self, rule: RecordRule) -> None:
        root = "FunctionalNeuroendocrineNeoplasm"
        self.shape(rule, "", about={NETGRAPH + root}, target=self.target(
            f"$this {iri(NG.diagnosis)}/{iri(RDFS.subClassOf)}* {iri(NG[root])} ."),
            property=[self.prop(NG.functionalStatus, **{"not": self.node(**{"in": ["non-functional"]})})])


    def grade_indices(self, rule: RecordRule) -> None:
        """One shape per grading scheme and recorded grade: the grade must not contradict the indices given.

        A recorded grade is contradicted when an index given lies in the range of a
        higher grade of the scheme (only for a scheme whose rules resolve to the
        highest grade), or when every index of an any-criterion grade is given and
        none lies in its range, or when an index of an all-criteria grade lies outside
        its range. With indices missing, a grade that the rest cannot refute is not
        reported.
        """
        for scheme_iri, scheme in sorted(self.k.schemes.items()):
            rules = sorted(scheme.rules.values(), key=lambda r: r.rank)
            highest = scheme.resolution == NETGRAPH + "HighestGrade"
            if scheme.resolution is not None and not highest:
                raise rule.row.error(f"grading scheme {scheme_iri} resolves conflicts by {scheme.resolution}, "
                                     "which the grade rule cannot compile (it knows HighestGrade, or none)")
            # the rules of one grade share its shape, which cites the last of them (as the grade table lists them)
            cited = {r.grade_label: (r.source, r.quote) for r in rules}
            for r in rules:
                grade = r.grade_label  # "G1" …
                constraints: list[Any] = []
                # a higher grade's range refutes a lower grade only where the scheme takes the highest grade
                for higher in (h for h in rules if highest and h.rank > r.rank):
                    if higher.combine == NETGRAPH + "AnyCriterion":
                        for crit in higher.criteria.values():
                            constraints.append(self.prop(self._index_prop(rule, crit.index.iri),
                                                         **{"not": self._interval(crit.interval)}))
                options = []
                if r.combine == NETGRAPH + "AnyCriterion":
                    for crit in r.criteria.values():
                        prop = self._index_prop(rule, crit.index.iri)
                        options.append(self.node(path=prop, maxCount=ox.Literal(0)))
                    for crit in r.criteria.values():
                        prop = self._index_prop(rule, crit.index.iri)
                        options.append(self.node(path=prop, minCount=ox.Literal(1), node=self._interval(crit.interval)))
                else:
                    for crit in r.criteria.values():
                        constraints.append(self.prop(self._index_prop(rule, crit.index.iri),
                                                     node=self._interval(crit.interval)))
                joiner = " OR " if r.combine == NETGRAPH + "AnyCriterion" else " AND "
                needs = joiner.join(f"{c.index.label} {c.text}" for c in r.criteria.values())
                message = (f"The record's grade {grade} contradicts its Ki-67 index or mitotic count under "
                           f"{scheme.label}: {grade} needs {needs}" +
                           (", and no index in a higher grade's range" if highest and r is not rules[-1] else ""))
                extra = {"or": options} if options else {}
                self.shape(rule, f"{scheme_iri.rsplit('/', 1)[-1]}-{grade}", message=message,
                           about={r.applies_to} if r.applies_to else (), cite=cited[grade],
                           target=self.target(self._grade_target(scheme_iri, self._is_default(scheme), r, grade)),
                           property=constraints, **extra)

    def _is_default(self, scheme: Any) -> bool:
        return scheme.iri == self.default_scheme if self.default_scheme else scheme.default

    _INDEX_FIELDS: ClassVar[dict[str, str]] = {"Ki67Index": "ki67Percent", "MitoticCount": "mitoticCount"}
    _INDEX_PROP: ClassVar[dict[str, ox.NamedNode]] = {k: NG[v] for k, v in _INDEX_FIELDS.items()}

    def _index_prop(self, rule: RecordRule, index_iri: str) -> ox.NamedNode:
        local = index_iri.rsplit("/", 1)[-1]
        if local not in self._INDEX_FIELDS:
            raise rule.row.error(f"grading index {index_iri} has no record field (record fields: ki67_percent, "
                                 "mitotic_count)")
        return NG[self._INDEX_FIELDS[local]]

    def _interval(self, interval: Any) -> ox.BlankNode:
        bounds: dict[str, ox.Literal] = {}
        if interval.lower is not None:
            bounds["minInclusive" if interval.lower_inclusive else "minExclusive"] = \
                ox.Literal(canonical_decimal(str(interval.lower)), datatype=XSD.decimal)
        if interval.upper is not None:
            bounds["maxInclusive" if interval.upper_inclusive else "maxExclusive"] = \
                ox.Literal(canonical_decimal(str(interval.upper)), datatype=XSD.decimal)
        return self.node(**bounds)

    def _site_closure(self) -> dict[str, frozenset[str]]:
        """Every site -> itself and every site above it (skos:broader*), from the knowledge."""
        if not hasattr(self, "_sites_up"):
            from .knowledge import _closure

            sites = {s for pair in self.k.broader for s in pair} | {s for _, s in self.k.defined_site}
            self._sites_up = {s: _closure(s, self.k.broader) for s in sites}
        return self._sites_up

    def _grade_target(self, scheme_iri: str, default: bool, r: Any, grade: str) -> str:
        """The records graded ``grade`` that the scheme's rule applies to (by class, else by site).

        Written for the store's join order (Oxigraph joins in the written order): for a scheme that is not the
        default, the scheme first (few records name one), then the grade, and the site scope and the values
        as one test on each of those records; for the default scheme, the grade first; its "names none"
        branch binds ``$this`` itself (a filter in a branch of its own would otherwise see ``$this``
        unbound); the scope as the sites and classes it stands for, read from the knowledge."""
        graded = f"$this {iri(NG.grade)} \"{grade}\" ."
        named = f"$this {iri(NG.gradingScheme)} {iri(scheme_iri)} ."
        if default:
            scheme_choice = (f"{{ {named} }} UNION {{ {graded} FILTER NOT EXISTS {{ $this {iri(NG.gradingScheme)}|"
                             f"{iri(NG.gradingSchemeUnrecognised)} ?anyScheme }} }}")
        else:
            scheme_choice = named
        if r.applies_to:
            scope = f"$this {iri(NG.diagnosis)}/{iri(RDFS.subClassOf)}* {iri(r.applies_to)} ."
        else:
            # the sites at or under the rule's sites, and the classes defined to arise there, read from the
            # knowledge the records are checked beside (skos:broader, definedPrimarySite): one scan of the
            # records' sites and diagnoses instead of a path walk per site
            sites = {s for s in self._site_closure() if self._site_closure()[s] & r.sites}
            classes = {c for c, site in self.k.defined_site if site in sites}
            parts = [f"{{ $this {iri(NG.primarySite)} ?scopeSite . VALUES ?scopeSite {{ "
                     f"{' '.join(iri(x) for x in sorted(sites))} }} }}"]
            if classes:
                parts.append(f"{{ $this {iri(NG.diagnosis)} ?scopeClass . VALUES ?scopeClass {{ "
                             f"{' '.join(iri(x) for x in sorted(classes))} }} }}")
            scope = " UNION ".join(parts)
        # an index value the index cannot take (Ki-67 150, -2 mitoses, "abc") is the range rules' finding
        valid = []
        for crit in r.criteria.values():
            prop = iri(self._INDEX_PROP.get(crit.index.iri.rsplit("/", 1)[-1], NG.ki67Percent))
            checks = [f"DATATYPE(?v) = {iri(XSD.decimal)}"]
            if crit.index.minimum is not None:
                checks.append(f"?v >= {canonical_decimal(str(crit.index.minimum))}")
            if crit.index.maximum is not None:
                checks.append(f"?v <= {canonical_decimal(str(crit.index.maximum))}")
            valid.append(f"FILTER NOT EXISTS {{ $this {prop} ?v FILTER(!COALESCE({' && '.join(checks)}, false)) }}")
        if not default:  # few records name the scheme: test the scope and values on each of them, in one filter
            tests = [f"EXISTS {{ {scope} }}"] + [v.replace("FILTER NOT EXISTS", "NOT EXISTS", 1) for v in valid]
            return f"{scheme_choice} {graded} FILTER({' && '.join(tests)})"
        return f"{graded} {scheme_choice} {scope} {' '.join(valid)}"


#: rule kind (the `kind` column) -> the generator method that turns a rule into shapes
RULE_KINDS: dict[str, Callable[[_Builder, RecordRule], None]] = {
    "required-id": _Builder.required_id,
    "required-diagnosis": _Builder.required_diagnosis,
    "resolves": _Builder.resolves,
    "ki67-range": _Builder.ki67_range,
    "mitoses-range": _Builder.mitoses_range,
    "choice": _Builder.choice,
    "date-valid": _Builder.date_valid,
    "date-not-future": _Builder.date_not_future,
    "code-syntax": _Builder.code_syntax,
    "code-known": _Builder.code_known,
    "code-obsolete": _Builder.code_obsolete,
    "code-agrees": _Builder.code_agrees,
    "site-axiom": _Builder.site_axiom,
    "secretes-axiom": _Builder.secretes_axiom,
    "site-histology": _Builder.site_histology,
    "nec-differentiation": _Builder.nec_differentiation,
    "nec-grade": _Builder.nec_grade,
    "net-differentiation": _Builder.net_differentiation,
    "nonfunctional-syndrome": _Builder.nonfunctional_syndrome,
    "functional-class": _Builder.functional_class,
    "grade-indices": _Builder.grade_indices,
}


def records_shapes(paths: ProjectPaths, knowledge: Knowledge, index: Any, *, default_scheme: str | None = None) -> MemoryGraph:
    """The shapes graph of every record rule (``default_scheme``: the grading scheme of records that name none)."""
    if default_scheme is not None and default_scheme not in knowledge.schemes:
        from ..errors import InputError

        known = ", ".join(sorted(k.rsplit("/", 1)[-1] for k in knowledge.schemes))
        raise InputError(f"grading scheme {default_scheme.rsplit('/', 1)[-1]!r} is not in the graph (schemes: {known})")
    b = _Builder(knowledge, index, default_scheme, paths)
    for rule in read_rules(paths):
        if rule.kind not in RULE_KINDS:
            raise rule.row.error(f"unknown rule kind {rule.kind!r}", f"use one of {', '.join(sorted(RULE_KINDS))}")
        RULE_KINDS[rule.kind](b, rule)
    return b.g


def write_records_shapes(root: Any = None, *, check: bool = False) -> tuple[Path, bool]:
    """Write (or, with ``check``, compare) ``ontology/records-shapes.ttl``; returns (path, differs)."""
    from ..atomic import write_atomic
    from ..crosswalk.index import load_index
    from ..paths import project_paths
    from ..turtle import to_turtle
    from .knowledge import load_knowledge

    paths = project_paths(root)
    graph = records_shapes(paths, load_knowledge(paths.root), load_index(paths.root))
    data = to_turtle(graph, ["netgraph record rules as SHACL shapes: generated by `netgraph records shapes`",
                             "from the built graph and data/tables/record-rules.tsv. Do not edit."])
    target = paths.ontology_dir / "records-shapes.ttl"
    differs = not target.is_file() or target.read_bytes() != data
    if differs and not check:
        write_atomic(target, data)
    return target, differs


def rules_markdown(paths: ProjectPaths) -> str:
    """The rule table as Markdown (docs/records.md embeds it between markers; a test keeps it fresh)."""
    lines = ["| rule | severity | fields | what it checks | rests on |", "|---|---|---|---|---|"]
    for r in read_rules(paths):
        basis = f"`{r.source}`: \u201c{r.quote}\u201d" if r.source else r.basis
        lines.append(f"| `{r.id}` | {r.severity} | {', '.join(r.fields)} | {r.message} | {basis} |")
    return "\n".join(lines) + "\n"
