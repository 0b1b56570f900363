"""Reading rule set files: parse, validate as a whole, identify by content hash, and keep the registry.

A file is refused as a whole (never half loaded) with a ``RuleSetError`` naming the file, the key path of
each problem and what is wrong. The identity of a rule set is its ``id``, ``version`` and the SHA-256 of
its canonical content (the parsed YAML as JSON with sorted keys and no spacing), so comments and layout
do not change it but any change of content does. A published version never changes: the shipped
``PUBLISHED`` list pins the hash of every published id and version, and a file with the same id and
version but other content is refused.

Installed rule sets are the shipped ``resources/standards/*.yaml`` plus those a yard adds under
``<data dir>/standards/``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from inspector.datadir import DataDir
from inspector.errors import UserError
from inspector.resources import resources_dir
from inspector.standard.findings import ENGINE_MESSAGE_CODES, TEMPLATE_FIELDS, template_fields
from inspector.standard.ruleset import DERIVED_INPUTS, RuleSet, compile_ruleset
from inspector.standard.schema import RuleSetFile

DEFAULT_RULESET_ID = "CN-RE2R"
PUBLISHED_FILE = "PUBLISHED"
MAX_FILE_BYTES = 2_000_000

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RuleSetError(UserError):
    """A rule set file that cannot be used; ``problems`` lists each (key path, what is wrong)."""

    def __init__(self, source: str, problems: Sequence[tuple[str, str]]) -> None:
        self.source = source
        self.problems = list(problems)
        shown = "; ".join(f"{path or '(top level)'}: {what}" for path, what in self.problems[:20])
        more = f" (and {len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        count = len(self.problems)
        super().__init__(
            f"rule set refused, {count} problem{'s' if count != 1 else ''}: {shown}{more}",
            field=source,
            hint="Nothing of this file was loaded; correct it and validate it with "
            "'yard-inspector standards validate FILE'.",
        )


class _StrictLoader(_BaseLoader):  # type: ignore[valid-type, misc]
    """Safe YAML that refuses a key written twice (YAML would silently keep the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value", key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice in one mapping", key_node.start_mark)
            seen.add(key)
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_mapping)


def canonical_sha256(document: Any) -> str:
    """SHA-256 of the canonical JSON of parsed content: sorted keys, no spacing, UTF-8."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_ruleset(text: str | bytes, *, source: str, published: Mapping[tuple[str, str], str] | None = None
                  ) -> RuleSet:
    """Validate the text of a rule set file as a whole and compile it, or raise ``RuleSetError``."""
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleSetError(source, [(where, f"not valid YAML: {problem}")]) from None
    if not isinstance(document, dict):
        raise RuleSetError(source, [("", "the file must hold a mapping (id, version, categories, ...)")])
    try:
        definition = RuleSetFile.model_validate(document)
    except ValidationError as exc:
        raise RuleSetError(source, _schema_problems(exc)) from None
    problems = cross_check(definition)
    if problems:
        raise RuleSetError(source, problems)
    sha = canonical_sha256(document)
    pins = published_hashes() if published is None else published
    pinned = pins.get((definition.id, definition.version))
    if pinned is not None and pinned != sha:
        raise RuleSetError(source, [(
            "version",
            f"{definition.id} {definition.version} is published with content SHA-256 {pinned}, but this "
            f"file's content hashes to {sha}; a published version never changes, so publish the changed "
            "content under a new version",
        )])
    return compile_ruleset(definition, sha256=sha, source=source, document=document)


def load_ruleset(path: str | Path) -> RuleSet:
    """Load and validate one rule set file (cached while the file is unchanged)."""
    p = Path(path)
    try:
        stat = p.stat()
    except OSError as exc:
        raise UserError(f"cannot read the rule set file: {exc.strerror or exc}", field=str(p),
                        hint="Give the path of a rule set YAML file.") from None
    return _load_cached(str(p.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load_cached(path: str, _mtime_ns: int, size: int) -> RuleSet:
    if size > MAX_FILE_BYTES:
        raise RuleSetError(path, [("", f"the file is {size} bytes; a rule set is at most {MAX_FILE_BYTES}")])
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read the rule set file: {exc.strerror or exc}", field=path) from None
    return parse_ruleset(data, source=path)


def shipped_dir() -> Path:
    return resources_dir() / "standards"


def yard_dir(data_dir: DataDir) -> Path:
    return data_dir.root / "standards"


@lru_cache(maxsize=4)
def _published_cached(path: str, _mtime_ns: int) -> dict[tuple[str, str], str]:
    pins: dict[tuple[str, str], str] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or len(parts[2]) != 64:
            raise RuleSetError(path, [(f"line {number}", "expected 'ID VERSION SHA256'")])
        pins[(parts[0], parts[1])] = parts[2]
    return pins


def published_hashes() -> dict[tuple[str, str], str]:
    """The pinned content hash of every published id and version (from the shipped PUBLISHED list)."""
    path = shipped_dir() / PUBLISHED_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _published_cached(str(path), mtime)


def installed_rulesets(data_dir: DataDir | None = None) -> list[RuleSet]:
    """Every installed rule set, sorted by id and version. Two files claiming one id and version with
    different content are refused (a published version never changes)."""
    dirs = [shipped_dir()]
    if data_dir is not None:
        dirs.append(yard_dir(data_dir))
    return _registry(_files_in(dirs))


def _files_in(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        if d.is_dir():
            files.extend(sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
    return files


def _registry(files: Iterable[Path]) -> list[RuleSet]:
    by_identity: dict[tuple[str, str], RuleSet] = {}
    for path in files:
        rs = load_ruleset(path)
        other = by_identity.get((rs.id, rs.version))
        if other is not None:
            if other.sha256 != rs.sha256:
                raise RuleSetError(rs.source, [(
                    "version",
                    f"{rs.id} {rs.version} is already installed from {other.source} with other content; "
                    "a published version never changes, so give this content a new version",
                )])
            continue
        by_identity[(rs.id, rs.version)] = rs
    return sorted(by_identity.values(), key=lambda r: (r.id, r.version_key))


def find_ruleset(reference: str, data_dir: DataDir | None = None) -> RuleSet:
    """An installed rule set by ``ID`` (its latest version) or ``ID@VERSION``."""
    rs_id, _, version = reference.partition("@")
    candidates = [r for r in installed_rulesets(data_dir) if r.id == rs_id]
    if version:
        candidates = [r for r in candidates if r.version == version]
    if not candidates:
        known = ", ".join(f"{r.id}@{r.version}" for r in installed_rulesets(data_dir)) or "none"
        raise UserError(f"no installed rule set {reference}", field="ruleset",
                        hint=f"Installed: {known}.")
    return max(candidates, key=lambda r: r.version_key)


def default_ruleset(data_dir: DataDir | None = None) -> RuleSet:
    """The rule set used when the yard has chosen none: the latest not superseded version of CN-RE2R."""
    candidates = [r for r in installed_rulesets(data_dir)
                  if r.id == DEFAULT_RULESET_ID and r.status != "superseded"]
    if not candidates:
        from inspector.errors import EnvironmentProblemError

        raise EnvironmentProblemError(
            f"No usable {DEFAULT_RULESET_ID} rule set is installed in {shipped_dir()}.",
            hint="The installation is incomplete; reinstall Yard Inspector.",
        )
    return max(candidates, key=lambda r: r.version_key)


def _schema_problems(exc: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for err in exc.errors(include_url=False):
        path = _path(err["loc"])
        what = err["msg"]
        value = err.get("input")
        if isinstance(value, float):
            what += ' (write decimals in quotes, e.g. "30.0", to keep the precision a limit is written with)'
        elif err["type"] == "string_type" and value is not None and not isinstance(value, dict | list):
            what += f" (found {type(value).__name__} {value!r}; quote it)"
        elif err["type"] == "extra_forbidden":
            what = "unknown key (misspelt?)"
        problems.append((path, what))
    return problems


_TEST_KINDS = frozenset({"flag", "max", "permit", "always"})


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif (part in _TEST_KINDS and isinstance(previous, int)) or "[" in part or "'" in part:
            # pydantic's union branch and discriminator tags are not keys of the file
            pass
        else:
            out += f".{part}" if out else part
        previous = part
    return out


def cross_check(d: RuleSetFile) -> list[tuple[str, str]]:
    """References between parts of a schema-valid file: each problem as (key path, what is wrong)."""
    problems: list[tuple[str, str]] = []
    add = problems.append
    stage_keys = [s.key for s in d.stages]
    if len(set(stage_keys)) != len(stage_keys):
        add(("stages", f"a stage appears twice: {stage_keys}"))
    attrs = d.attributes
    for key, a in attrs.items():
        if a.stage not in stage_keys:
            add((f"attributes.{key}.stage", f"unknown stage {a.stage!r}; stages are {stage_keys}"))
        for r in a.requires:
            if r not in attrs:
                add((f"attributes.{key}.requires", f"unknown attribute {r!r}"))
    for key in d.derived:
        if key in attrs:
            add((f"derived.{key}", "a derived value cannot have the name of an attribute"))
        if key not in DERIVED_INPUTS:
            add((f"derived.{key}", f"the engine computes only {sorted(DERIVED_INPUTS)}"))
            continue
        for needed in DERIVED_INPUTS[key]:
            if needed not in attrs:
                add((f"derived.{key}", f"needs the attribute {needed!r}, which is not defined"))
    _check_engine_attributes(d, add)
    for stage, keys in d.required.items():
        if stage not in stage_keys:
            add((f"required.{stage}", f"unknown stage; stages are {stage_keys}"))
        for i, k in enumerate(keys):
            if k not in attrs:
                add((f"required.{stage}[{i}]", f"unknown attribute {k!r}"))
            elif attrs[k].stage != stage:
                add((f"required.{stage}[{i}]", f"{k!r} belongs to stage {attrs[k].stage!r}"))
    codes = [c.code for c in d.categories]
    if len(set(codes)) != len(codes):
        twice = sorted({c for c in codes if codes.count(c) > 1})
        add(("categories", f"a category code appears twice: {twice}"))
    numeric = {k for k, a in attrs.items() if a.type in ("decimal", "integer")} | set(d.derived)
    for i, c in enumerate(d.categories):
        where = f"categories[{i}]"
        for j, k in enumerate(c.required):
            if k not in attrs:
                add((f"{where}.required[{j}]", f"unknown attribute {k!r}"))
        if c.oxide_factor is not None and Decimal(c.oxide_factor) <= 0:
            add((f"{where}.oxide_factor", "must be above 0"))
        if "treo_pct" in c.required and c.oxide_factor is None:
            add((f"{where}.oxide_factor",
                 "required: the category uses treo_pct, which may be reported on metal basis"))
        if c.grading is not None and c.grading.attribute not in numeric:
            add((f"{where}.grading.attribute",
                 f"{c.grading.attribute!r} is not a decimal attribute or derived value"))
    rule_ids = [r.id for r in d.rules] + [d.grading_rule.id]
    if len(set(rule_ids)) != len(rule_ids):
        add(("rules", f"a rule id appears twice: {sorted(x for x in rule_ids if rule_ids.count(x) > 1)}"))
    used_messages = set(ENGINE_MESSAGE_CODES)
    for i, rule in enumerate(d.rules):
        where = f"rules[{i}]"
        if rule.applies_to != "all":
            for j, code in enumerate(rule.applies_to):
                if code not in codes:
                    add((f"{where}.applies_to[{j}]", f"unknown category {code!r}"))
        for j, test in enumerate(rule.tests):
            tw = f"{where}.tests[{j}]"
            if test.kind == "always":
                used_messages.add(test.message)
                continue
            attr = test.attribute
            if attr not in attrs and attr not in d.derived:
                add((f"{tw}.attribute", f"unknown attribute {attr!r}"))
                continue
            kind = attrs[attr].type if attr in attrs else "decimal"
            wanted = {"flag": ("bool",), "max": ("decimal", "integer"), "permit": ("code", "text", "choice")}
            if kind not in wanted[test.kind]:
                add((f"{tw}.attribute", f"a {test.kind} test needs a {' or '.join(wanted[test.kind])} "
                                        f"attribute; {attr!r} is {kind}"))
            if test.kind == "max":
                used_messages.update(x.message for x in test.limits)
            else:
                used_messages.add(test.message)
    for code in sorted(used_messages - set(d.messages)):
        add((f"messages.{code}", "missing: the message is used by a rule or by the engine"))
    for code, text in d.messages.items():
        for lang in ("zh", "en"):
            try:
                unknown = template_fields(getattr(text, lang)) - TEMPLATE_FIELDS
            except ValueError as exc:
                add((f"messages.{code}.{lang}", f"malformed template: {exc}"))
                continue
            if unknown:
                add((f"messages.{code}.{lang}",
                     f"unknown placeholder(s) {sorted(unknown)}; allowed: {sorted(TEMPLATE_FIELDS)}"))
    _check_key(d, codes, add)
    return problems


def _check_engine_attributes(d: RuleSetFile, add: Any) -> None:
    """Attributes the derived values are computed from must have the types the engine expects."""
    expected = {
        "dose_background_usv_h": ("decimal", None), "dose_gross_usv_h": ("decimal", None),
        "treo_pct": ("decimal", None), "moisture_pct": ("decimal", None), "oil_pct": ("decimal", None),
        "treo_basis": ("choice", {"oxide", "metal"}),
        "treo_moisture_basis": ("choice", {"dry", "as_received"}),
    }
    for key, (kind, choices) in expected.items():
        a = d.attributes.get(key)
        if a is None:
            continue
        if a.type != kind:
            add((f"attributes.{key}.type", f"must be {kind}: the engine computes derived values from it"))
        elif choices is not None and {c.key for c in a.choices or ()} != choices:
            add((f"attributes.{key}.choices", f"must be exactly {sorted(choices)}"))


def _check_key(d: RuleSetFile, codes: list[str], add: Any) -> None:
    key = d.identification
    qids = [q.id for q in key.questions]
    if len(set(qids)) != len(qids):
        add(("identification.questions", f"a question id appears twice: {qids}"))
    if key.start not in qids:
        add(("identification.start", f"unknown question {key.start!r}"))
    edges: dict[str, list[str]] = {}
    for i, q in enumerate(key.questions):
        aids = [a.id for a in q.answers]
        if len(set(aids)) != len(aids):
            add((f"identification.questions[{i}].answers", f"an answer id appears twice: {aids}"))
        for j, a in enumerate(q.answers):
            where = f"identification.questions[{i}].answers[{j}]"
            if a.next is not None and a.next not in qids:
                add((f"{where}.next", f"unknown question {a.next!r}"))
            if a.category is not None and a.category not in codes:
                add((f"{where}.category", f"unknown category {a.category!r}"))
        edges[q.id] = [a.next for a in q.answers if a.next is not None]
    if key.start not in qids:
        return
    # Walk from the start: a cycle would let the form ask forever, an unreachable question is dead data.
    state: dict[str, int] = {}

    def visit(q: str, trail: list[str]) -> None:
        state[q] = 1
        for nxt in edges.get(q, ()):
            if state.get(nxt) == 1:
                add(("identification", f"the questions form a cycle: {' -> '.join([*trail, q, nxt])}"))
            elif nxt in edges and nxt not in state:
                visit(nxt, [*trail, q])
        state[q] = 2

    visit(key.start, [])
    for i, q in enumerate(key.questions):
        if q.id not in state:
            add((f"identification.questions[{i}]", f"question {q.id!r} cannot be reached from the start"))
