"""Results to city hall: the workbook, the one-page PDF, CSV files, merging and results-only packs.

Every action asks its questions on the UI thread, then hands the work to
:func:`tde_desktop.qt.common.ops.run_op` with a pack of its own, so progress and Cancel
work the same everywhere. The core writes each file under a temporary name
and renames it into place, so a cancel never leaves half a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import SUPPORTED_LANGUAGES, _, ngettext
from tde_desktop.core.pack import PACK_SUFFIX, Pack
from tde_desktop.core.results.merge_datasets import datasets_differ
from tde_desktop.qt.common import settings
from tde_desktop.qt.common.ops import Op, error_text, run_op, show_message

#: the last report dialog shown (tests read it)
last_report: QMessageBox | None = None


class ExportOptionsDialog(QDialog):
    """The choices of an export: its language, the small-count threshold and consented
    contacts. The language list is every language found (shipped or added by the city),
    each named in its own words; ``lang`` is the one chosen at first (the workshop's
    first language), or English when it is not among them; ``lang=None`` leaves the
    choice out (the CSV files follow the workshop's first language)."""

    def __init__(self, parent: QWidget | None = None, *, title: str = "",
                 contacts: bool = True, lang: str | None = "en",
                 awaiting: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or _("Export results"))
        self.setAccessibleName(title or _("Export results"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox()
        for code, name in SUPPORTED_LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(lang or "en")))
        self.language.setAccessibleName(_("Language of the file"))
        if lang is not None:
            form.addRow(_("Language of the file:"), self.language)
        self.threshold = QSpinBox()
        self.threshold.setRange(1, 100)
        self.threshold.setValue(settings.suppress_below())  # as in the last export
        self.threshold.setAccessibleName(_("Hide counts below"))
        form.addRow(_("Hide counts below:"), self.threshold)
        layout.addLayout(form)
        why = QLabel(_("In summaries, a count smaller than this is shown as \"fewer than N\", "
                       "because a small number can point to one person."))
        why.setWordWrap(True)
        layout.addWidget(why)
        self.contacts = QCheckBox(_("Include contact details of people who agreed to be "
                                    "contacted"))
        self.contacts.setAccessibleName(_("Include consented contact details"))
        self.contacts.setChecked(False)
        self.contacts_note = QLabel(_("Off by default: the workbook then holds codes only, "
                                      "no names or contacts. Turn it on only if the department "
                                      "will follow up, and keep the file private."))
        self.contacts_note.setWordWrap(True)
        for widget in (self.contacts, self.contacts_note):
            widget.setVisible(contacts)
            layout.addWidget(widget)
        self._moderation(layout, awaiting)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Export..."))
        self.ok_button.setAccessibleName(_("Export"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _moderation(self, layout: QVBoxLayout, awaiting: int | None) -> None:
        """How many notes await approval, and the internal copy with every answer as
        written (workbook only, off by default); hidden when ``awaiting`` is None."""
        from tde_desktop.core.results.workbook_data import awaiting_line

        self.awaiting = QLabel()
        self.awaiting.setTextFormat(Qt.TextFormat.PlainText)
        self.awaiting.setWordWrap(True)
        self.awaiting.setAccessibleName(_("Notes awaiting approval"))
        self.unmoderated = QCheckBox(_("Internal copy: include every answer as written, "
                                       "approved or not (do not forward it)"))
        self.unmoderated.setAccessibleName(_("Include answers not yet approved"))

        def show_line() -> None:
            self.awaiting.setText(awaiting_line(awaiting or 0, self.unmoderated.isChecked()))

        self.unmoderated.toggled.connect(show_line)
        show_line()
        if awaiting is not None:
            layout.addSpacing(8)  # apart from the contacts note above
        for widget in (self.awaiting, self.unmoderated):
            widget.setVisible(awaiting is not None)
            layout.addWidget(widget)

    def accept(self) -> None:
        """Remember the threshold, so the next export (workbook or PDF) offers it."""
        settings.set_suppress_below(self.threshold.value())
        super().accept()

    def options(self) -> dict[str, Any]:
        """The choices made; ``include_unmoderated`` only when the dialog offered it."""
        chosen = {"suppress_below": self.threshold.value(),
                  "include_contacts": self.contacts.isChecked() and self.contacts.isVisible(),
                  "lang": str(self.language.currentData())}
        if not self.unmoderated.isHidden():
            chosen["include_unmoderated"] = self.unmoderated.isChecked()
        return chosen


def documents_dir() -> Path:
    """Where save dialogs start: the last folder used (remembered), else Documents."""
    from tde_desktop.qt.common.saved_files import start_folder

    return start_folder()


def safe_name(text: str) -> str:
    """A file name stem from a title, safe on every system (see core/safe_names.py)."""
    from tde_desktop.core.safe_names import safe_file_stem

    return safe_file_stem(text, "results")


def show_report(parent: QWidget | None, text: str, title: str) -> QMessageBox:
    """An information box with the outcome in plain sentences."""
    global last_report
    last_report = show_message(parent, text, title=title, icon=QMessageBox.Icon.Information)
    return last_report


class ResultsActions:
    """The result exports, merging and results-only packs of one main window."""

    def __init__(self, window: Any) -> None:
        self.window = window

    @property
    def pack(self) -> Pack | None:
        return getattr(self.window, "pack", None)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10_000)

    def _saved(self, path: Path, text: str) -> None:
        """Say where the export went: the status bar and a box with "Open folder"."""
        from tde_desktop.qt.common.saved_files import show_saved

        self._status(text)
        show_saved(self.window, path, text)

    def _choose_workshop(self) -> str | None:
        return self.window.workshop_menu._choose() if self.pack is not None else None

    def _title(self, workshop_id: str) -> str:
        from tde_desktop.core.workshop import workshops as ws

        assert self.pack is not None
        return ws.get_workshop(self.pack, workshop_id).title

    def _first_language(self, workshop_id: str) -> str:
        from tde_desktop.core.workshop import workshops as ws

        assert self.pack is not None
        languages = ws.get_workshop(self.pack, workshop_id).languages
        return languages[0] if languages else "en"

    def _ask_options(self, title: str, contacts: bool, workshop_id: str,
                     language: bool = True, moderation: bool = False
                     ) -> dict[str, Any] | None:
        from tde_desktop.core.results.workbook_data import awaiting_approval

        assert self.pack is not None
        lang = self._first_language(workshop_id) if language else None
        awaiting = awaiting_approval(self.pack, workshop_id) if moderation else None
        dialog = ExportOptionsDialog(self.window, title=title, contacts=contacts, lang=lang,
                                     awaiting=awaiting)
        return dialog.options() if dialog.exec() else None

    def _ask_path(self, caption: str, name: str, pattern: str) -> Path | None:
        chosen, _sel = QFileDialog.getSaveFileName(self.window, caption,
                                                   str(documents_dir() / name), pattern)
        if not chosen:
            return None
        from tde_desktop.qt.common.saved_files import remember

        remember(Path(chosen))
        return Path(chosen)

    # -- the workbook, the PDF and CSV files -------------------------------------------------

    def ask_export_workbook(self) -> Op | None:
        """Workshop > Export results to Excel...: options, then where, then the export."""
        workshop_id = self._choose_workshop()
        options = workshop_id and self._ask_options(_("Export results to Excel"), True,
                                                    workshop_id, moderation=True)
        if not workshop_id or not options:
            return None
        path = self._ask_path(_("Save the results workbook"),
                              safe_name(self._title(workshop_id)) + " results.xlsx",
                              _("Excel workbook (*.xlsx)"))
        if path is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        return self.export_workbook(workshop_id, path, **options)

    def export_workbook(self, workshop_id: str, path: Path, *, suppress_below: int = 5,
                        include_contacts: bool = False, lang: str | None = None,
                        include_unmoderated: bool = False) -> Op | None:
        """Write the city-hall workbook in the background, in ``lang`` (by default the
        workshop's first language), free text approved only unless ``include_unmoderated``
        (an internal copy); the status bar says where."""
        if self.pack is None:
            return None

        def work(pack: Pack, progress: Any) -> list[str]:
            from tde_desktop.core.results.workbook import export_workbook

            return export_workbook(pack, workshop_id, path, suppress_below=suppress_below,
                                   include_contacts=include_contacts, lang=lang,
                                   include_unmoderated=include_unmoderated,
                                   progress=progress)

        return run_op(self.window, work, pack_path=self.pack.path,
                      label=_("Writing the results workbook"),
                      on_done=lambda sheets: self._saved(path, ngettext(
                          "Saved {path} ({n} sheet).", "Saved {path} ({n} sheets).",
                          len(sheets)).format(path=path, n=len(sheets))),
                      on_cancel=lambda: self._status(_("The export was cancelled.")))

    def ask_export_pdf(self) -> Op | None:
        """Workshop > Export "What we heard" PDF...: the one-page summary for residents."""
        workshop_id = self._choose_workshop()
        options = workshop_id and self._ask_options(_("Export \"What we heard\""), False,
                                                    workshop_id)
        if not workshop_id or not options:
            return None
        path = self._ask_path(_("Save the summary"),
                              safe_name(self._title(workshop_id)) + " what we heard.pdf",
                              _("PDF document (*.pdf)"))
        if path is None:
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return self.export_pdf(workshop_id, path, suppress_below=options["suppress_below"],
                               lang=options["lang"])

    def export_pdf(self, workshop_id: str, path: Path, *, suppress_below: int = 5,
                   lang: str | None = None) -> Op | None:
        """Write the one-page summary in the background, in ``lang`` (by default the
        workshop's first language)."""
        if self.pack is None:
            return None
        lang = lang or self._first_language(workshop_id)

        def work(pack: Pack, progress: Any) -> Path:
            from tde_desktop.core.results.summary_pdf import write_summary_pdf

            return write_summary_pdf(pack, workshop_id, path, suppress_below=suppress_below,
                                     lang=lang, progress=progress)

        return run_op(self.window, work, pack_path=self.pack.path,
                      label=_("Writing the summary"),
                      on_done=lambda out: self._saved(out, _("Saved {path}.").format(path=out)),
                      on_cancel=lambda: self._status(_("The export was cancelled.")))

    def ask_export_csv(self) -> Op | None:
        """Workshop > Export CSV files...: one CSV per sheet of the workbook, in a folder."""
        workshop_id = self._choose_workshop()
        options = workshop_id and self._ask_options(_("Export CSV files"), True,
                                                    workshop_id, language=False)
        if not workshop_id or not options:
            return None
        folder = QFileDialog.getExistingDirectory(self.window, _("Folder for the CSV files"),
                                                  str(documents_dir()))
        if not folder:
            return None
        from tde_desktop.qt.common.saved_files import remember

        remember(Path(folder))
        options.pop("lang")  # the CSV files follow the workshop's first language
        return self.export_csv(workshop_id, Path(folder), **options)

    def export_csv(self, workshop_id: str, folder: Path, *, suppress_below: int = 5,
                   include_contacts: bool = False) -> Op | None:
        """The same tables as the workbook, one UTF-8 CSV each (for tools that cannot read xlsx)."""
        if self.pack is None:
            return None
        prefix = safe_name(self._title(workshop_id))

        def work(pack: Pack, progress: Any) -> list[Path]:
            from tde_desktop.core.results.csv_export import export_results_csv

            return export_results_csv(pack, workshop_id, folder, prefix,
                                      suppress_below=suppress_below,
                                      include_contacts=include_contacts, progress=progress)

        return run_op(self.window, work, pack_path=self.pack.path,
                      label=_("Writing the CSV files"),
                      on_done=lambda paths: self._saved(folder, ngettext(
                          "Saved {n} CSV file in {folder}.", "Saved {n} CSV files in {folder}.",
                          len(paths)).format(n=len(paths), folder=folder)),
                      on_cancel=lambda: self._status(_("The export was cancelled.")))

    # -- merging and results-only packs ---------------------------------------------------

    def ask_merge(self) -> Op | None:
        """File > Merge packs...: bring in the results of packs from other laptops."""
        if self.pack is None:
            return None
        names, _sel = QFileDialog.getOpenFileNames(
            self.window, _("Merge results from other packs"), str(documents_dir()),
            _("Workshop packs") + " (*.tdepack)")
        if names:
            from tde_desktop.qt.common.saved_files import remember

            remember(Path(names[0]))
        op = None
        for name in names:
            op = self.merge(Path(name))
        return op

    def merge(self, other: Path, *, allow_different_data: bool = False) -> Op | None:
        """Merge ``other`` into the open pack; the report (or the refusal) is shown after."""
        if self.pack is None:
            return None

        def work(pack: Pack, progress: Any) -> Any:
            from tde_desktop.core.results.merge import merge_packs

            return merge_packs(pack, other, allow_different_data=allow_different_data,
                               progress=progress)

        return run_op(self.window, work, pack_path=self.pack.path,
                      label=_("Merging {name}").format(name=other.name),
                      on_done=self._merged,
                      on_error=lambda exc: self._merge_failed(other, exc, allow_different_data),
                      on_cancel=lambda: self._status(
                          _("The merge was cancelled; nothing was changed.")))

    def _merged(self, merge_report: Any) -> None:
        show_report(self.window, merge_report.summary(), _("Merge finished"))
        self.window.reload_datasets()

    def _merge_failed(self, other: Path, exc: BaseException, allowed: bool) -> None:
        if allowed or not isinstance(exc, TdeError) or self.pack is None \
                or not datasets_differ(self.pack, other):
            show_message(self.window, error_text(exc))
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Different datasets"), str(exc),
                          QMessageBox.StandardButton.Cancel, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # names datasets as the packs have them
        box.setAccessibleName(_("Different datasets"))
        anyway = box.addButton(_("Merge anyway"), QMessageBox.ButtonRole.AcceptRole)
        anyway.setAccessibleName(_("Merge anyway"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        anyway.clicked.connect(lambda: self.merge(other, allow_different_data=True))
        self.refusal = box
        box.open()

    def ask_save_results_only(self) -> Op | None:
        """File > Save results only...: a small pack without data rows, for a USB stick."""
        if self.pack is None:
            return None
        path = self._ask_path(_("Save results only"),
                              self.pack.path.stem + " results" + PACK_SUFFIX,
                              _("Workshop packs") + " (*.tdepack)")
        if path is None:
            return None
        if path.suffix.lower() != PACK_SUFFIX:
            path = path.with_name(path.name + PACK_SUFFIX)
        return self.save_results_only(path)

    def save_results_only(self, path: Path) -> Op | None:
        if self.pack is None:
            return None

        def work(pack: Pack, progress: Any) -> Path:
            from tde_desktop.core.results.results_only import write_results_pack

            return write_results_pack(pack, path, progress=progress)

        return run_op(self.window, work, pack_path=self.pack.path,
                      label=_("Saving the results"),
                      on_done=lambda out: self._saved(out, _("Saved {path}.").format(path=out)),
                      on_cancel=lambda: self._status(_("Nothing was saved.")))
