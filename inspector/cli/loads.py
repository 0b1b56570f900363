"""Command group 'loads': list and show loads, amend a field of one, cancel one; the same services and read
models the window uses.

``yard-inspector loads list [--state S] [--json]``, ``loads show TICKET [--json]``,
``loads amend TICKET --field F --value V --reason R --as USER [--confirmed-by SUPERVISOR]`` and
``loads cancel TICKET --reason-kind K --reason R --as USER [--confirmed-by SUPERVISOR]``.

Commands that change a load sign the acting user in (``--as``) and, after weigh-out, the supervisor who
confirms (``--confirmed-by``), as the other commands that act for a person do: passwords come from
``--secrets-file`` (a JSON object with ``password`` and ``confirmer_password``) or are asked. Bad input
exits 2 naming the field, and nothing is changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from inspector.cli.common import language_of, print_json, say, words
from inspector.errors import PermissionDeniedError, UserError
from inspector.messages import Language, Term

if TYPE_CHECKING:
    from inspector.clock import Clock
    from inspector.queries.loads import LoadDetails
    from inspector.security.actor import Actor
    from inspector.standard.ruleset import RuleSet
    from inspector.storage.db import Store

# The services' names of what a person gives on this command line, as its options.
_OPTIONS: Mapping[str, str] = {
    "field": "--field", "reason": "--reason", "reason_kind": "--reason-kind",
    "confirmed_by": "--confirmed-by", "ticket": "TICKET", "load": "TICKET",
}


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    signed = argparse.ArgumentParser(add_help=False)
    signed.add_argument("--as", dest="as_user", metavar="USER", required=True,
                        help="sign in as this user (asks the password)")
    signed.add_argument("--secrets-file", dest="secrets_file", metavar="FILE",
                        help='JSON with "password" (and "confirmer_password") for scripts')
    group = subparsers.add_parser("loads", parents=[common],
                                  help="loads (one truck's visit each): list, show, amend, cancel")
    sub = group.add_subparsers(dest="loads_command", metavar="ACTION", required=True)
    _subcommands(sub, common, signed)


def _subcommands(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser,
                 signed: argparse.ArgumentParser) -> None:
    """The group's actions: ``common`` gives --data-dir and --lang, ``signed`` --as and --secrets-file."""
    p = sub.add_parser("list", parents=[common], help="the loads in ticket order")
    p.add_argument("--state", type=_load_state, metavar="STATE",
                   help="only loads in this state, e.g. arrived, weighed_out, classified or cancelled")
    p.add_argument("--json", action="store_true", help="one JSON object per load")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", parents=[common],
                       help="everything stored about a load, with its corrections and cancellation")
    p.add_argument("ticket", metavar="TICKET", help="the load's ticket number, e.g. T2026-000123")
    p.add_argument("--json", action="store_true", help="print the load as one JSON object")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("amend", parents=[common, signed],
                       help="correct one field of a load with a reason (kept in the audit trail)")
    p.add_argument("ticket", metavar="TICKET")
    p.add_argument("--field", required=True, metavar="F",
                   help="plate, driver, supplier_id, declared_category, generating_enterprise, an intake or "
                   "gate attribute (e.g. inclusions_pct), or answers")
    p.add_argument("--value", required=True, metavar="V",
                   help="the corrected value; yes/no for a question, the answers in order for the "
                   "identification (magnet,ndfeb_sintered,production,solid), empty to remove an optional one")
    p.add_argument("--reason", required=True, metavar="R", help="why (at least 5 characters)")
    _confirmed_by(p)
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.set_defaults(handler=cmd_amend)

    p = sub.add_parser("cancel", parents=[common, signed],
                       help="cancel a load (its ticket number stays on the record)")
    p.add_argument("ticket", metavar="TICKET")
    p.add_argument("--reason-kind", required=True, metavar="K",
                   help="turned_away, duplicate or entered_by_mistake")
    p.add_argument("--reason", required=True, metavar="R", help="why (at least 5 characters)")
    _confirmed_by(p)
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.set_defaults(handler=cmd_cancel)

    from inspector.cli.tickets import add_ticket_command

    add_ticket_command(sub, common, signed)


def _confirmed_by(p: argparse.ArgumentParser) -> None:
    p.add_argument("--confirmed-by", dest="confirmed_by", metavar="SUPERVISOR",
                   help="the supervisor confirming in person (needed once the load was weighed out)")


# Looked up only when the option is given, so --help imports nothing heavy.
def _load_state(value: str) -> str:
    from inspector.states import LoadState

    states = [s.value for s in LoadState]
    if value not in states:
        # Parsed before --lang is known: the locale decides the language.
        raise argparse.ArgumentTypeError(words(None, "loads.not_a_load_state", value=value, choices=states))
    return value


def _options(exc: UserError) -> UserError:
    """The error naming the option the person typed rather than the service's name for it."""
    if exc.field is not None:
        exc.field = _OPTIONS.get(exc.field, exc.field)
    return exc


def _confirm(store: Store, args: argparse.Namespace, clock: Clock) -> Actor | None:
    """The supervisor named by --confirmed-by, signed in as a second person (failures count towards the
    lock, as at the window)."""
    from inspector.cli.security import _secret
    from inspector.security import users

    username = args.confirmed_by
    if not username:
        return None
    password = _secret(args, "confirmer_password", words(args, "security.password_of", username=username))
    with store.session() as session:
        result = users.authenticate(session, username=username, password=password, clock=clock,
                                    purpose="second_person")
    if not result.ok or result.actor is None:
        raise PermissionDeniedError(result.code or users.WRONG_CREDENTIALS, field="--confirmed-by",
                                    **result.params)
    return result.actor


# ---- words ----------------------------------------------------------------------------------------------


def _value(value: Any, lang: Language, args: argparse.Namespace, key: str = "",
           ruleset: RuleSet | None = None) -> str:
    """A stored value for a person: a choice by the rule set's words, yes/no, the identification's answers,
    a reading with its unit, "—" for nothing."""
    from inspector.messages import render

    if value is None or value == "":
        return words(args, "loads.nothing")
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    attribute = key.removeprefix("attributes.")
    if ruleset is not None and attribute in ruleset.attributes:
        spec = ruleset.attributes[attribute]
        if isinstance(value, str) and value in spec.choices:
            return render(ruleset.choice_name(attribute, value), lang)
        if spec.unit and not isinstance(value, bool):
            return f"{value} {spec.unit}"
    return render(value, lang)


def _field_name(key: str, lang: Language, ruleset: RuleSet | None = None) -> str:
    """A field (a load's column or ``attributes.<key>``) by its name in ``lang``."""
    from inspector.intake.steps import field_name
    from inspector.messages import render

    return render(field_name(key.removeprefix("attributes."), ruleset), lang)


# ---- commands -------------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open
    from inspector.messages import formats
    from inspector.queries.loads import RegisterQuery, RegisterSort, iter_register

    lang = language_of(args)
    store = _open(args)
    shown = 0
    try:
        with store.session() as session:
            query = RegisterQuery(state=args.state, sort=RegisterSort.TICKET, descending=False)
            for row in iter_register(session, query):
                shown += 1
                if args.json:
                    print_json({
                        "ticket": row.ticket_no, "state": row.state, "plate": row.plate,
                        "supplier": row.supplier, "declared_category": row.declared_category,
                        "assigned_category": row.assigned_category, "net": row.net, "unit": row.weight_unit,
                        "manual_weight": row.manual_weight,
                        "outcome": row.outcome, "grade": row.grade, "arrived_at": row.arrived_at,
                        "arrived_offset": row.arrived_offset,
                    })
                    continue
                say(args, "loads.row", ticket=row.ticket_no, state=Term("load_state", row.state),
                    plate=row.plate, supplier=row.supplier,
                    category=row.assigned_category or row.declared_category or "—",
                    net=formats.mass(row.net, row.weight_unit, lang) if row.net is not None else "—")
    finally:
        store.close()
    if not shown and not args.json:
        say(args, "loads.none")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from inspector.cli.common import data_dir_from
    from inspector.cli.security import _open
    from inspector.queries.loads import load_details, load_id_of_ticket
    from inspector.services.classification import ruleset_in_force

    data_dir = data_dir_from(args)
    store = _open(args)
    try:
        with store.session() as session:
            try:
                details = load_details(session, load_id=load_id_of_ticket(session, args.ticket),
                                       data_dir=data_dir)
            except UserError as exc:
                raise _options(exc) from None
            ruleset = ruleset_in_force(session, data_dir=data_dir)
    finally:
        store.close()
    if args.json:
        print_json(_details_json(details, language_of(args)))
    else:
        _say_details(args, details, ruleset)
    return 0


def _details_json(details: LoadDetails, lang: Language) -> dict[str, Any]:
    from inspector.messages import render

    cancellation = details.cancellation
    return {
        "ticket": details.ticket_no, "state": details.state, "plate": details.plate, "driver": details.driver,
        "supplier": details.supplier_name, "supplier_uscc": details.supplier_uscc,
        "generating_enterprise": details.generating_enterprise,
        "declared_category": details.declared_category,
        "assigned_category": details.assigned_category, "outcome": details.outcome, "grade": details.grade,
        "classification_status": details.classification_status, "arrived_at": details.arrived_at,
        "arrived_offset": details.arrived_offset, "departed_at": details.departed_at,
        "departed_offset": details.departed_offset, "unit": details.weight_unit, "gross": details.gross,
        "tare": details.tare, "net": details.net, "manual_weight": details.manual_weight,
        "attributes": dict(details.attributes), "lots": list(details.lots),
        "amendments": [
            {"seq": a.seq, "action": a.action, "at": a.at, "offset": a.offset_minutes, "by": a.actor,
             "reason": a.reason, "confirmed_by": a.confirmed_by,
             "changes": [{"field": c.field, "old": c.old, "new": c.new, "old_name": c.old_name,
                          "new_name": c.new_name} for c in a.changes]}
            for a in details.amendments
        ],
        "cancellation": None if cancellation is None else {
            "kind": cancellation.kind, "kind_message": render(Term("cancel_kind", cancellation.kind), lang),
            "reason": cancellation.reason, "state_before": cancellation.state_before,
            "by": cancellation.cancelled_by, "confirmed_by": cancellation.confirmed_by, "at": cancellation.at,
            "offset": cancellation.offset_minutes,
        },
    }


def _say_details(args: argparse.Namespace, details: LoadDetails, ruleset: RuleSet) -> None:
    from inspector.messages import formats

    lang = language_of(args)
    unit = details.weight_unit

    def mass(value: int | None) -> str:
        return formats.mass(value, unit, lang) if value is not None else words(args, "loads.nothing")

    nothing = words(args, "loads.nothing")
    say(args, "loads.ticket", ticket=details.ticket_no, state=Term("load_state", details.state))
    say(args, "loads.truck", plate=details.plate, driver=details.driver or nothing,
        supplier=details.supplier_name, uscc=details.supplier_uscc)
    say(args, "loads.categories", declared=details.declared_category or nothing,
        assigned=details.assigned_category or nothing,
        outcome=Term("outcome", details.outcome) if details.outcome else nothing,
        grade=details.grade or nothing)
    say(args, "loads.weights", gross=mass(details.gross), tare=mass(details.tare), net=mass(details.net))
    for key, value in sorted(details.attributes.items()):
        say(args, "loads.attribute", name=_field_name(key, lang, ruleset),
            value=_value(value, lang, args, key, ruleset))
    if details.lots:
        say(args, "loads.lots", lots=list(details.lots))
    for amendment in details.amendments:
        changes = [words(args, "loads.change", field=_field_name(c.field, lang, ruleset),
                         old=c.old_name or _value(c.old, lang, args, c.field, ruleset),
                         new=c.new_name or _value(c.new, lang, args, c.field, ruleset))
                   for c in amendment.changes]
        time = formats.Moment(amendment.at, amendment.offset_minutes)
        if amendment.confirmed_by is None:
            say(args, "loads.amendment", user=amendment.actor, time=time, changes="; ".join(changes),
                reason=amendment.reason)
        else:
            say(args, "loads.amendment_confirmed", user=amendment.actor, confirmer=amendment.confirmed_by,
                time=time, changes="; ".join(changes), reason=amendment.reason)
    cancellation = details.cancellation
    if cancellation is not None:
        say(args, "loads.cancelled", kind=Term("cancel_kind", cancellation.kind),
            user=cancellation.cancelled_by, time=formats.Moment(cancellation.at, cancellation.offset_minutes),
            reason=cancellation.reason)


def cmd_amend(args: argparse.Namespace) -> int:
    from inspector.cli.common import data_dir_from
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.queries.loads import load_id_of_ticket
    from inspector.services import corrections
    from inspector.services.classification import ruleset_in_force

    data_dir = data_dir_from(args)
    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        confirmer = _confirm(store, args, clock)
        with store.session() as session:
            try:
                load_id = load_id_of_ticket(session, args.ticket)
                value = corrections.value_from_text(session, load_id=load_id, key=args.field, text=args.value,
                                                    data_dir=data_dir)
                result = corrections.amend_load(session, actor=actor, clock=clock, load_id=load_id,
                                                changes={args.field: value}, reason=args.reason,
                                                confirmed_by=confirmer, data_dir=data_dir)
            except UserError as exc:
                raise _options(exc) from None
            ruleset = ruleset_in_force(session, data_dir=data_dir)
            names = _supplier_names(session, result.old, result.new) if result.field == "supplier_id" else {}
    finally:
        store.close()
    lang = language_of(args)
    if args.json:
        print_json({"ticket": result.ticket_no, "field": result.field, "old": result.old, "new": result.new,
                    "state": result.state, "confirmed_by": result.confirmed_by,
                    "reclassified": result.reclassified, "outcome": result.outcome, "grade": result.grade,
                    "reopened_lots": list(result.reopened_lots)})
        return 0
    say(args, "loads.amended", ticket=result.ticket_no, field=_field_name(result.field, lang, ruleset),
        old=names.get(result.old) or _value(result.old, lang, args, result.field, ruleset),
        new=names.get(result.new) or _value(result.new, lang, args, result.field, ruleset))
    if result.reclassified and result.outcome:
        say(args, "loads.reclassified", outcome=Term("outcome", result.outcome))
    if result.reopened_lots:
        say(args, "loads.reopened", lots=list(result.reopened_lots))
    return 0


def _supplier_names(session: Any, *ids: Any) -> dict[Any, str]:
    from inspector.storage.models.core import Supplier

    found = {i: session.get(Supplier, i) for i in ids if isinstance(i, int)}
    return {i: supplier.name for i, supplier in found.items() if supplier is not None}


def cmd_cancel(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.queries.loads import load_id_of_ticket
    from inspector.services import corrections

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        confirmer = _confirm(store, args, clock)
        with store.session() as session:
            try:
                result = corrections.cancel_load(session, actor=actor, clock=clock,
                                                 load_id=load_id_of_ticket(session, args.ticket),
                                                 reason_kind=args.reason_kind, reason=args.reason,
                                                 confirmed_by=confirmer)
            except UserError as exc:
                raise _options(exc) from None
    finally:
        store.close()
    if args.json:
        print_json({"ticket": result.ticket_no, "state": result.state, "kind": result.kind,
                    "reason": result.reason, "state_before": result.state_before,
                    "confirmed_by": result.confirmed_by})
        return 0
    say(args, "loads.cancelled_now", ticket=result.ticket_no, kind=Term("cancel_kind", result.kind))
    return 0
