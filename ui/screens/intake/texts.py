"""The intake form's words: the core gives codes (steps, states, fields, errors, actions); this words them.

The window's own words (steps, field labels, choices, buttons) go through ``self.tr`` (context
``IntakeTexts``), so the Chinese catalog translates them; the rule set's own texts (attribute names,
questions, findings) come bilingual from the rule set instead. The errors of a field come from the core's
catalogue (``inspector.messages``), so the window and the command line say the same thing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from inspector import messages
from inspector.intake.steps import Action, FieldError, Step
from inspector.standard.ruleset import RuleSet
from inspector.standard.wording import Language
from ui import words


def current_language() -> Language:
    """The window's language in the rule set's terms (``zh`` or ``en``), for its bilingual texts."""
    return messages.ruleset_language(words.language())


class IntakeTexts(QObject):
    """Words for the intake codes in the window's current language."""

    def step(self, step: Step | str) -> str:
        return {
            Step.ARRIVAL: self.tr("Arrival"),
            Step.GROSS: self.tr("Gross weighing"),
            Step.GATE: self.tr("Gate inspection"),
            Step.IDENTIFICATION: self.tr("Identification"),
            Step.SAMPLING: self.tr("Sampling"),
            Step.TARE: self.tr("Tare weighing"),
            Step.SUMMARY: self.tr("Summary"),
        }[Step(step)]

    def next_step(self, next_step: str | None) -> str:
        if next_step is None:
            return self.tr("Done")
        if next_step == "lab_results":
            return self.tr("Lab results")
        return self.step(next_step)

    def field(self, key: str, ruleset: RuleSet | None = None) -> str:
        """A field's label: the rule set's name for an attribute, else the catalogue's (the same words the
        errors name it by)."""
        if ruleset is not None and key in ruleset.attributes:
            return words.rule_text(ruleset.attribute_name(key))
        if key == "confirmed":  # the check box's own words, not the field's name in a message
            return self.tr("I have checked the summary")
        return words.word("intake_field", key)

    def choice(self, key: str, value: str, ruleset: RuleSet | None = None) -> str:
        """A choice's words: the rule set's for an attribute's choices and categories, else ours."""
        if ruleset is not None:
            if key in ruleset.attributes and value in ruleset.attributes[key].choices:
                return words.rule_text(ruleset.choice_name(key, value))
            if key == "declared_category" and value in ruleset.categories:
                return f"{value} {words.rule_text(ruleset.category_name(value))}"
        ours = {
            ("source", "indicator"): self.tr("From the indicator"),
            ("source", "manual"): self.tr("Entered by hand"),
            ("source", "stored"): self.tr("Vehicle's stored tare"),
            ("plan", "SP-DEFAULT"): self.tr("SP-DEFAULT: at least 10 increments, composite, "
                                            "three sealed splits"),
            ("documents", "delivery_note"): self.tr("Delivery note"),
            ("documents", "business_licence"): self.tr("Business licence copy"),
            ("documents", "hw_transfer_manifest"): self.tr("Hazardous-waste transfer manifest"),
            ("documents", "weighing_slip"): self.tr("Supplier's weighing slip"),
            ("documents", "import_declaration"): self.tr("Import declaration"),
            ("documents", "analysis_certificate"): self.tr("Supplier's analysis certificate"),
            ("basis", "oxide_dry"): self.tr("Oxide, dry basis"),
            ("basis", "oxide_as_received"): self.tr("Oxide, as received"),
            ("basis", "metal_dry"): self.tr("Metal, dry basis"),
            ("basis", "metal_as_received"): self.tr("Metal, as received"),
        }
        # Else the core catalogue's words for the field's choices (``words.<field>``, e.g. the reasons for a
        # tare difference); a code without words is shown as it is.
        return ours.get((key, value)) or words.word(key, value)

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return self.tr("(not answered)")
        return self.tr("Yes") if value else self.tr("No")

    def error(self, error: FieldError, ruleset: RuleSet | None = None) -> str:
        """What is wrong with a field and what is allowed, in the window's language: the core catalogue's
        words (``errors."step.<code>"``, the same the command line prints), naming the field by its label."""
        return error.words(words.language(), field=self.field(error.field, ruleset))

    def add_photo_button(self) -> str:
        return self.tr("Add photo… (Ctrl+P)")

    def camera_photo_button(self) -> str:
        return self.tr("Photo from the cameras (F7)")

    def pick_supplier(self, count: int) -> str:
        return self.tr("%n supplier(s) found: pick one", "", count)

    def supplier_mode(self, mode: str) -> str:
        """The switch between a supplier of the yard's list and a new one."""
        return self.tr("New supplier") if mode == "new" else self.tr("Existing supplier")

    def supplier_search_placeholder(self) -> str:
        return self.tr("Search by name or unified social credit code")

    def supplier_chosen(self, label: str | None) -> str:
        if label is None:
            return self.tr("No supplier chosen yet: search for it below.")
        return self.tr("Chosen: %1").replace("%1", label)

    def change_category(self) -> str:
        """The button that shows every category again once one is chosen."""
        return self.tr("Change the category…")

    def recent_plates(self) -> str:
        """The words before the plates seen lately, each filled with a tap."""
        return self.tr("Recent vehicles:")

    def province_tip(self) -> str:
        return self.tr("Change the province")

    def plate_placeholder(self) -> str:
        return self.tr("Tap the province, then type or scan the rest")

    def action(self, action: Action) -> str:
        return {
            Action.REFUSE_UNLOADING: self.tr("Do not unload: the load is refused."),
            Action.QUARANTINE_BAY: self.tr("Direct the truck to the quarantine bay."),
            Action.CALL_SUPERVISOR: self.tr("Call the supervisor now."),
            Action.NOTE_DOWNGRADE: self.tr("The grade will be lowered one step."),
        }[action]

    def next_after(self, outcome: str) -> str:
        """What happens to the load after the summary, by its provisional outcome."""
        return {
            "ACCEPT": self.tr("The load is unloaded to its category's bay; the lab confirms the class and "
                              "grade."),
            "HOLD": self.tr("The load stays in the quarantine bay until the supervisor decides."),
            "REJECT": self.tr("The load leaves the yard unloaded; the supervisor is informed."),
            "INCOMPLETE": self.tr("Readings are missing: the supervisor decides before unloading."),
        }.get(outcome, "")
