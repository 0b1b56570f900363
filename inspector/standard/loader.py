"""Reading rule set files: parse, validate as a whole, identify by content hash, and keep the registry.

A file is refused as a whole (never half loaded) with a ``RuleSetError`` naming the file, the key path of
each problem and what is wrong (a ``Problem``: a code the catalogue words, ``errors."ruleset.<what>"``).
The identity of a rule set is its ``id``, ``version`` and the SHA-256 of its canonical content (the
parsed YAML as JSON with sorted keys and no spacing), so comments and layout do not change it but any
change of content does. A published version never changes: the shipped ``PUBLISHED`` list pins the hash
of every published id and version, and a file with the same id and version but other content is refused.

Installed rule sets are the shipped ``resources/standards/*.yaml`` plus those a yard adds under
``<data dir>/standards/``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import ValidationError

from inspector import messages
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, UserError
from inspector.messages import Language, Term, formats
from inspector.resources import resources_dir
from inspector.standard.findings import ENGINE_MESSAGE_CODES, TEMPLATE_FIELDS, template_fields
from inspector.standard.ruleset import DERIVED_INPUTS, RuleSet, compile_ruleset
from inspector.standard.schema import RuleSetFile, SchemaProblem

DEFAULT_RULESET_ID = "CN-RE2R"
PUBLISHED_FILE = "PUBLISHED"
MAX_FILE_BYTES = 2_000_000

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# How many problems a refusal words in full; the count says how many there are in all.
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a rule set file: where (a key path such as ``rules[0].tests[1].severity``, empty
    for the file as a whole) and what, as an error code with parameters (``errors."ruleset.<what>"``)."""

    path: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def words(self, lang: Language) -> str:
        text, hint = messages.error_words(self.code, self.params, lang)
        what = f"{text}{hint}" if hint and lang == "zh_CN" else f"{text} {hint}" if hint else text
        if not self.path:
            return what
        return f"{self.path}：{what}" if lang == "zh_CN" else f"{self.path}: {what}"


class RuleSetError(UserError):
    """A rule set file that cannot be used; ``problems`` lists each (key path, code, parameters).

    Its words are the refusal (``errors."ruleset.refused"``) followed by the words of the first
    ``SHOWN_PROBLEMS`` problems, each after its key path.
    """

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__("ruleset.refused" if count == 1 else "ruleset.refused_many", source=source,
                         count=count)

    def parts(self, lang: Language) -> tuple[str, str | None]:
        message, hint = super().parts(lang)
        shown = [p.words(lang) for p in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:
            shown.append("……" if lang == "zh_CN" else "...")
        return ("" if lang == "zh_CN" else " ").join([message, *shown]), hint

    def to_json(self, lang: Language = "en") -> dict[str, Any]:
        data = super().to_json(lang)
        data["problems"] = [{"path": p.path, "code": p.code, "message": p.words(lang)} for p in self.problems]
        return data


class _AddProblem(Protocol):
    def __call__(self, path: str, code: str, /, **params: object) -> None: ...


class _KeyError(yaml.constructor.ConstructorError):
    """A mapping key the strict loader refuses, with the code that words it."""

    def __init__(self, code: str, key_node: yaml.Node, **params: object) -> None:
        super().__init__(None, None, code, key_node.start_mark)
        self.code = code
        self.params = params


class _StrictLoader(_BaseLoader):  # type: ignore[valid-type, misc]
    """Safe YAML that refuses a key written twice (YAML would silently keep the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                raise _KeyError("ruleset.key_not_plain", key_node)
            if key in seen:
                raise _KeyError("ruleset.key_twice", key_node, key=str(key))
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
        where: dict[str, object] = {} if mark is None else {"line": mark.line + 1, "column": mark.column + 1}
        if isinstance(exc, _KeyError):
            raise RuleSetError(source, [Problem("", exc.code, {**where, **exc.params})]) from None
        code = "ruleset.yaml_invalid_at" if where else "ruleset.yaml_invalid"
        raise RuleSetError(source, [Problem("", code, where)]) from None
    if not isinstance(document, dict):
        raise RuleSetError(source, [Problem("", "ruleset.not_mapping")])
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
        raise RuleSetError(source, [Problem("version", "ruleset.published_changed", {
            "id": definition.id, "version": definition.version, "pinned": pinned, "sha256": sha})])
    return compile_ruleset(definition, sha256=sha, source=source, document=document)


def load_ruleset(path: str | Path) -> RuleSet:
    """Load and validate one rule set file (cached while the file is unchanged)."""
    p = Path(path)
    try:
        stat = p.stat()
    except OSError as exc:
        raise unreadable(exc, what="ruleset", path=str(p)) from None
    return _load_cached(str(p.resolve()), stat.st_mtime_ns, stat.st_size)


def unreadable(exc: OSError, *, what: str, path: str) -> UserError:
    """A file that cannot be read, worded by what is in the way. ``what`` names the kind of file
    (``words.standard_file``: ``ruleset``, ``load``)."""
    kind = Term("standard_file", what)
    if isinstance(exc, FileNotFoundError):
        return UserError("standard.file_not_found", what=kind, path=path)
    if isinstance(exc, IsADirectoryError):
        return UserError("standard.file_is_folder", what=kind, path=path)
    if isinstance(exc, PermissionError):
        return UserError("standard.file_permission", what=kind, path=path)
    # Anything else (a disk error, a name too long): the system's own name for it, in either language.
    name = errno.errorcode.get(exc.errno or 0) or type(exc).__name__
    return UserError("standard.file_unreadable", what=kind, path=path, error=name)


@lru_cache(maxsize=32)
def _load_cached(path: str, _mtime_ns: int, size: int) -> RuleSet:
    if size > MAX_FILE_BYTES:
        raise RuleSetError(path, [Problem("", "ruleset.file_too_large", {
            "size": formats.number(size), "maximum": formats.number(MAX_FILE_BYTES)})])
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise unreadable(exc, what="ruleset", path=path) from None
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
            raise RuleSetError(path, [Problem("", "ruleset.published_line", {"line": number})])
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
                raise RuleSetError(rs.source, [Problem("version", "ruleset.installed_differs", {
                    "id": rs.id, "version": rs.version, "other": other.source})])
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
        raise not_installed(reference, data_dir)
    return max(candidates, key=lambda r: r.version_key)


def not_installed(reference: str, data_dir: DataDir | None = None) -> UserError:
    """The error for a rule set ``ID@VERSION`` that is not installed, naming those that are."""
    installed = [f"{r.id}@{r.version}" for r in installed_rulesets(data_dir)]
    if not installed:
        return UserError("ruleset.not_installed_none", field="ruleset", reference=reference)
    return UserError("ruleset.not_installed", field="ruleset", reference=reference, installed=installed)


def default_ruleset(data_dir: DataDir | None = None) -> RuleSet:
    """The rule set used when the yard has chosen none: the latest not superseded version of CN-RE2R."""
    candidates = [r for r in installed_rulesets(data_dir)
                  if r.id == DEFAULT_RULESET_ID and r.status != "superseded"]
    if not candidates:
        raise EnvironmentProblemError("ruleset.default_missing", id=DEFAULT_RULESET_ID,
                                      folder=str(shipped_dir()))
    return max(candidates, key=lambda r: r.version_key)


# pydantic's error types and the type a value of the file should have had (words.ruleset_value_type).
_EXPECTED_TYPE = {
    "string_type": "text", "int_type": "integer", "bool_type": "boolean", "dict_type": "mapping",
    "model_type": "mapping", "model_attributes_type": "mapping", "list_type": "list",
}
_COMPARISONS = {
    "greater_than": "ruleset.not_above", "greater_than_equal": "ruleset.below",
    "less_than": "ruleset.not_below", "less_than_equal": "ruleset.above",
}
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|(-?[0-9]+)")


def _listed(expected: object) -> list[str]:
    """The values pydantic lists in ``'a', 'b' or 'c'`` (a literal's or an enum's allowed values)."""
    return [quoted or number for quoted, number in _QUOTED.findall(str(expected))]


def _yaml_type(value: object) -> Term:
    if value is None:
        kind = "null"
    elif isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, int):
        kind = "integer"
    elif isinstance(value, float):
        kind = "decimal"
    elif isinstance(value, str):
        kind = "text"
    elif isinstance(value, dict):
        kind = "mapping"
    elif isinstance(value, list):
        kind = "list"
    else:
        kind = type(value).__name__
    return Term("ruleset_value_type", kind)


def _schema_problems(exc: ValidationError) -> list[Problem]:
    return [Problem(_path(err["loc"]), *_schema_problem(err)) for err in exc.errors(include_url=False)]


def _schema_problem(err: Any) -> tuple[str, dict[str, object]]:
    """The code and parameters of one of pydantic's errors."""
    kind = err["type"]
    value = err.get("input")
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    cause = ctx.get("error")
    if kind == "value_error" and isinstance(cause, SchemaProblem):
        return cause.code, dict(cause.params)
    if kind == "missing":
        return "ruleset.missing", {}
    if kind == "extra_forbidden":
        return "ruleset.unknown_key", {}
    if kind == "string_type" and isinstance(value, float):
        return "ruleset.float_decimal", {"value": str(value)}
    if kind == "string_type" and value is not None and not isinstance(value, dict | list):
        return "ruleset.quote_it", {"found": _yaml_type(value), "value": str(value)}
    if kind in _EXPECTED_TYPE:
        return "ruleset.wrong_type", {"expected": Term("ruleset_value_type", _EXPECTED_TYPE[kind]),
                                      "found": _yaml_type(value)}
    if kind == "string_pattern_mismatch":
        return "ruleset.pattern", {"value": str(value), "pattern": str(ctx["pattern"])}
    if kind == "string_too_short":
        return "ruleset.empty", {}
    if kind == "string_too_long":
        return "ruleset.too_long", {"maximum": ctx["max_length"]}
    if kind == "too_short":
        return "ruleset.too_few", {"minimum": ctx["min_length"]}
    if kind in ("literal_error", "enum"):
        return "ruleset.not_one_of", {"value": str(value), "allowed": _listed(ctx["expected"])}
    if kind in _COMPARISONS:
        return _COMPARISONS[kind], {"value": str(value), "limit": str(next(iter(ctx.values())))}
    if kind == "union_tag_invalid":
        return "ruleset.test_kind_unknown", {"value": str(ctx["tag"]),
                                             "allowed": _listed(ctx["expected_tags"])}
    if kind == "union_tag_not_found":
        return "ruleset.test_kind_missing", {"allowed": sorted(_TEST_KINDS)}
    # A check the schema gained without words here: pydantic's own (English) words rather than nothing.
    return "ruleset.schema", {"detail": err["msg"]}


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


def cross_check(d: RuleSetFile) -> list[Problem]:
    """References between parts of a schema-valid file: each problem with its key path and code."""
    problems: list[Problem] = []

    def add(path: str, code: str, /, **params: object) -> None:
        problems.append(Problem(path, code, params))

    stage_keys = [s.key for s in d.stages]
    if len(set(stage_keys)) != len(stage_keys):
        add("stages", "ruleset.stage_twice", keys=stage_keys)
    attrs = d.attributes
    for key, a in attrs.items():
        if a.stage not in stage_keys:
            add(f"attributes.{key}.stage", "ruleset.unknown_stage", value=a.stage, stages=stage_keys)
        for r in a.requires:
            if r not in attrs:
                add(f"attributes.{key}.requires", "ruleset.unknown_attribute", value=r)
    for key in d.derived:
        if key in attrs:
            add(f"derived.{key}", "ruleset.derived_is_attribute")
        if key not in DERIVED_INPUTS:
            add(f"derived.{key}", "ruleset.derived_unknown", known=sorted(DERIVED_INPUTS))
            continue
        for needed in DERIVED_INPUTS[key]:
            if needed not in attrs:
                add(f"derived.{key}", "ruleset.derived_input_missing", attribute=needed)
    _check_engine_attributes(d, add)
    for stage, keys in d.required.items():
        if stage not in stage_keys:
            add(f"required.{stage}", "ruleset.unknown_stage", value=stage, stages=stage_keys)
        for i, k in enumerate(keys):
            if k not in attrs:
                add(f"required.{stage}[{i}]", "ruleset.unknown_attribute", value=k)
            elif attrs[k].stage != stage:
                add(f"required.{stage}[{i}]", "ruleset.attribute_of_other_stage", attribute=k,
                    stage=attrs[k].stage)
    codes = [c.code for c in d.categories]
    if len(set(codes)) != len(codes):
        twice = sorted({c for c in codes if codes.count(c) > 1})
        add("categories", "ruleset.category_twice", codes=twice)
    numeric = {k for k, a in attrs.items() if a.type in ("decimal", "integer")} | set(d.derived)
    for i, c in enumerate(d.categories):
        where = f"categories[{i}]"
        for j, k in enumerate(c.required):
            if k not in attrs:
                add(f"{where}.required[{j}]", "ruleset.unknown_attribute", value=k)
        if c.oxide_factor is not None and Decimal(c.oxide_factor) <= 0:
            add(f"{where}.oxide_factor", "ruleset.oxide_factor_not_positive")
        if "treo_pct" in c.required and c.oxide_factor is None:
            add(f"{where}.oxide_factor", "ruleset.oxide_factor_required")
        if c.grading is not None and c.grading.attribute not in numeric:
            add(f"{where}.grading.attribute", "ruleset.grading_not_numeric", attribute=c.grading.attribute)
    rule_ids = [r.id for r in d.rules] + [d.grading_rule.id]
    if len(set(rule_ids)) != len(rule_ids):
        add("rules", "ruleset.rule_twice", ids=sorted({x for x in rule_ids if rule_ids.count(x) > 1}))
    used_messages = set(ENGINE_MESSAGE_CODES)
    for i, rule in enumerate(d.rules):
        where = f"rules[{i}]"
        if rule.applies_to != "all":
            for j, code in enumerate(rule.applies_to):
                if code not in codes:
                    add(f"{where}.applies_to[{j}]", "ruleset.unknown_category", value=code)
        for j, test in enumerate(rule.tests):
            tw = f"{where}.tests[{j}]"
            if test.kind == "always":
                used_messages.add(test.message)
                continue
            attr = test.attribute
            if attr not in attrs and attr not in d.derived:
                add(f"{tw}.attribute", "ruleset.unknown_attribute", value=attr)
                continue
            kind = attrs[attr].type if attr in attrs else "decimal"
            wanted = {"flag": ("bool",), "max": ("decimal", "integer"), "permit": ("code", "text", "choice")}
            if kind not in wanted[test.kind]:
                add(f"{tw}.attribute", "ruleset.test_attribute_type", test=test.kind,
                    wanted=list(wanted[test.kind]), attribute=attr, type=kind)
            if test.kind == "max":
                used_messages.update(x.message for x in test.limits)
            else:
                used_messages.add(test.message)
    for code in sorted(used_messages - set(d.messages)):
        add(f"messages.{code}", "ruleset.message_missing")
    for code, text in d.messages.items():
        for lang in ("zh", "en"):
            try:
                unknown = template_fields(getattr(text, lang)) - TEMPLATE_FIELDS
            except ValueError:
                add(f"messages.{code}.{lang}", "ruleset.template_malformed")
                continue
            if unknown:
                add(f"messages.{code}.{lang}", "ruleset.template_unknown_fields", unknown=sorted(unknown),
                    allowed=sorted(TEMPLATE_FIELDS))
    _check_key(d, codes, add)
    return problems


def _check_engine_attributes(d: RuleSetFile, add: _AddProblem) -> None:
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
            add(f"attributes.{key}.type", "ruleset.engine_attribute_type", type=kind)
        elif choices is not None and {c.key for c in a.choices or ()} != choices:
            add(f"attributes.{key}.choices", "ruleset.engine_attribute_choices", choices=sorted(choices))


def _check_key(d: RuleSetFile, codes: list[str], add: _AddProblem) -> None:
    key = d.identification
    qids = [q.id for q in key.questions]
    if len(set(qids)) != len(qids):
        add("identification.questions", "ruleset.question_twice", ids=qids)
    if key.start not in qids:
        add("identification.start", "ruleset.unknown_question", value=key.start)
    edges: dict[str, list[str]] = {}
    for i, q in enumerate(key.questions):
        aids = [a.id for a in q.answers]
        if len(set(aids)) != len(aids):
            add(f"identification.questions[{i}].answers", "ruleset.answer_twice", ids=aids)
        for j, a in enumerate(q.answers):
            where = f"identification.questions[{i}].answers[{j}]"
            if a.next is not None and a.next not in qids:
                add(f"{where}.next", "ruleset.unknown_question", value=a.next)
            if a.category is not None and a.category not in codes:
                add(f"{where}.category", "ruleset.unknown_category", value=a.category)
        edges[q.id] = [a.next for a in q.answers if a.next is not None]
    if key.start not in qids:
        return
    # Walk from the start: a cycle would let the form ask forever, an unreachable question is dead data.
    state: dict[str, int] = {}

    def visit(q: str, trail: list[str]) -> None:
        state[q] = 1
        for nxt in edges.get(q, ()):
            if state.get(nxt) == 1:
                add("identification", "ruleset.key_cycle", questions=" → ".join([*trail, q, nxt]))
            elif nxt in edges and nxt not in state:
                visit(nxt, [*trail, q])
        state[q] = 2

    visit(key.start, [])
    for i, q in enumerate(key.questions):
        if q.id not in state:
            add(f"identification.questions[{i}]", "ruleset.question_unreachable", question=q.id)
