"""The intake form's words: the core gives codes (steps, states, fields, errors, actions); this words them.

The window's own words (steps, field labels, choices, buttons) go through ``self.tr`` (context
``IntakeTexts``), so the Chinese catalog translates them; the rule set's own texts (attribute names,
questions, findings) come bilingual from the rule set instead. The errors of a field come from the core's
catalogue (``inspector.messages``), so the window and the command line say the same thing.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject

from inspector.intake.steps import Action, FieldError, Step
from inspector.standard.ruleset import RuleSet
from inspector.standard.wording import Language
from ui import words


def current_language() -> Language:
    """``zh`` when the window runs in Chinese (the language switcher sets the default locale), else ``en``."""
    return "zh" if QLocale().name().startswith("zh") else "en"


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
        """A field's label: the rule set's name for an attribute, else ours."""
        if ruleset is not None and key in ruleset.attributes:
            return words.rule_text(ruleset.attribute_name(key))
        labels = {
            "plate": self.tr("Vehicle plate"),
            "supplier_id": self.tr("Supplier"),
            "new_supplier_name": self.tr("New supplier: name"),
            "new_supplier_uscc": self.tr("New supplier: unified social credit code"),
            "driver": self.tr("Driver"),
            "declared_category": self.tr("Declared category"),
            "documents": self.tr("Documents received"),
            "hw_manifest_no": self.tr("Hazardous-waste transfer manifest no."),
            "gross": self.tr("Gross weight"),
            "tare": self.tr("Tare weight"),
            "source": self.tr("Weight source"),
            "manual_reason": self.tr("Reason for a manual weight"),
            "frame_hex": self.tr("Indicator frame"),
            "scale_id": self.tr("Weighbridge"),
            "stability": self.tr("Stability"),
            "photos": self.tr("Photos"),
            "handheld_usv_h": self.tr("Hand-held follow-up reading"),
            "instrument": self.tr("Instrument"),
            "answers": self.tr("Identification"),
            "plan": self.tr("Sampling plan"),
            "increments": self.tr("Increments taken"),
            "composite": self.tr("Composite sample made"),
            "seal_yard": self.tr("Seal no., yard split"),
            "seal_supplier": self.tr("Seal no., supplier split"),
            "seal_arbitration": self.tr("Seal no., arbitration split"),
            "confirmed": self.tr("I have checked the summary"),
            "lab": self.tr("Laboratory"),
            "report_number": self.tr("Report number"),
            "method": self.tr("Method"),
            "basis": self.tr("TREO reported on"),
            "values": self.tr("Assay values"),
            "load": self.tr("Load"),
            "step": self.tr("Step"),
        }
        return labels.get(key, key)

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
        return ours.get((key, value), value)

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

    def refusal(self, code: str) -> str:
        """Why the live weight cannot be captured (the weighing area's refusal codes)."""
        return {
            "no-reading": self.tr("no reading from the indicator"),
            "stale": self.tr("the indicator has gone silent"),
            "indicator-error": self.tr("the indicator reports an error"),
            "motion": self.tr("the scale is in motion"),
            "stability-unknown": self.tr("stability not known yet"),
            "overload": self.tr("over the scale's range"),
            "underload": self.tr("under zero range"),
            "not-gross": self.tr("the indicator is not in gross mode"),
            "unit-mismatch": self.tr("the indicator shows another unit"),
            "expanded-display": self.tr("the indicator shows an expanded (x10) display"),
            "not-whole-units": self.tr("not a whole number of units"),
            "no-load": self.tr("nothing on the scale"),
            "no-return-to-zero": self.tr("the scale has not returned to zero since the last vehicle"),
            "jump-while-stable": self.tr("the reading jumped while stable: clear the deck to zero"),
        }.get(code, code)

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
