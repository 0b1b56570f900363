"""The national standard as data: rule sets, the classification engine, GB/T 8170 judging, the key.

The API the intake form, the approval queue and the certificates use:

- ``load_ruleset(path)`` / ``parse_ruleset(text, source=...)``: a validated ``RuleSet`` or ``RuleSetError``.
- ``installed_rulesets(data_dir=None)``, ``find_ruleset("CN-RE2R@0.1.0")``, ``default_ruleset()``;
  the yard's choice is ``inspector.services.classification.ruleset_in_force(session)``.
- ``parse_load(ruleset, raw)`` / ``parse_attributes(ruleset, mapping)``: typed input or ``UserError``.
- ``classify(ruleset, load)`` -> ``Classification`` (outcome, grade, status, findings, missing, derived);
  ``classify_input(ruleset, raw)`` does both steps.
- ``describe(ruleset, finding, "zh" | "en")``: a finding in words.
- ``identify(ruleset, {question: answer})`` -> the category or the next question; ``first_question``.
- ``dry_mass(net, moisture, oil)``, ``contained_reo(dry, treo)``, ``treo_dry_oxide(...)``, ``dose_net(...)``.
"""

from inspector.standard.diff import Change, diff_documents
from inspector.standard.engine import (
    Classification,
    classify,
    classify_input,
    contained_reo,
    derive,
    dose_net,
    dry_mass,
    treo_dry_oxide,
)
from inspector.standard.findings import Finding, Outcome, Severity, Status
from inspector.standard.identify import Identification, first_question, identify, identify_sequence
from inspector.standard.inputs import LoadInput, parse_attributes, parse_load
from inspector.standard.loader import (
    RuleSetError,
    default_ruleset,
    find_ruleset,
    installed_rulesets,
    load_ruleset,
    parse_ruleset,
)
from inspector.standard.ruleset import RuleSet, RuleSetRef
from inspector.standard.wording import describe

__all__ = [
    "Change",
    "Classification",
    "Finding",
    "Identification",
    "LoadInput",
    "Outcome",
    "RuleSet",
    "RuleSetError",
    "RuleSetRef",
    "Severity",
    "Status",
    "classify",
    "classify_input",
    "contained_reo",
    "default_ruleset",
    "derive",
    "describe",
    "diff_documents",
    "dose_net",
    "dry_mass",
    "find_ruleset",
    "first_question",
    "identify",
    "identify_sequence",
    "installed_rulesets",
    "load_ruleset",
    "parse_attributes",
    "parse_load",
    "parse_ruleset",
    "treo_dry_oxide",
]
