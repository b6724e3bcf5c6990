"""The measured coverage in README "Running Brain-Score model plugins": which of the `brainscore*` imports that
Brain-Score 2.4.2's 606 model plugin folders use (the import table of the research note
`brainscore_plugin_api.md`, section 1.1, with its folder counts) this project provides, computed here."""

from __future__ import annotations

from pathlib import Path

import pytest

from brainscore_core.plugins._inspection import ImportedName, is_provided

README = Path(__file__).parents[2] / "README.md"

#: (module, names, plugin folders importing it) for every row of the research note's table that names a module
#: of Brain-Score's packages (rows importing another plugin folder are below, in SIBLING_ROWS).
IMPORT_ROWS: tuple[tuple[str, tuple[str | None, ...], int], ...] = (
    ("brainscore_vision", ("model_registry",), 606),
    ("brainscore_vision.model_helpers.brain_transformation", ("ModelCommitment",), 602),
    ("brainscore_vision.model_helpers.activations.pytorch", ("PytorchWrapper",), 573),
    ("brainscore_vision.model_helpers.check_submission", ("check_models",), 557),
    ("brainscore_vision.model_helpers.activations.pytorch", ("load_preprocess_images",), 528),
    ("brainscore_vision", (None,), 367),
    ("brainscore_core.supported_data_standards.brainio.s3", ("load_file",), 144),
    ("brainscore_vision.model_helpers", ("download_weights",), 106),
    ("brainscore_core.supported_data_standards.brainio.s3", ("load_weight_file",), 74),
    ("brainscore_vision.model_helpers.activations.core", ("ActivationsExtractorHelper",), 20),
    ("brainscore_vision", ("load_model",), 19),
    ("brainscore_vision.model_interface", ("BrainModel",), 16),
    ("brainscore_vision", ("score",), 13),
    ("brainscore_core.supported_data_standards.brainio.s3", ("sha1_hash",), 11),
    ("brainscore_vision.model_helpers.activations.temporal.utils", ("get_specified_layers",), 10),
    ("brainscore_vision.model_helpers.activations.temporal.model", ("PytorchWrapper",), 8),
    ("brainscore_vision.model_helpers.activations.temporal.model.pytorch", ("PytorchWrapper",), 2),
    ("brainscore_vision.model_helpers.activations.pytorch", ("load_images",), 8),
    (
        "brainscore_core.supported_data_standards.brainio.assemblies",
        ("merge_data_arrays", "NeuroidAssembly", "walk_coords"),
        5,
    ),
    (
        "brainscore_vision.model_helpers.brain_transformation.behavior",
        ("BehaviorArbiter", "LogitsBehavior", "ProbabilitiesMapping", "OddOneOut"),
        4,
    ),
    ("result_caching", ("store",), 4),
    ("brainscore_vision.model_helpers.activations.pytorch", ("preprocess_images",), 3),
    ("brainscore_vision.model_helpers.activations", ("PytorchWrapper",), 2),
    ("brainscore_vision.model_helpers.activations.pytorch", ("disable_activation_caching",), 2),
    ("brainscore_vision.model_helpers.activations.temporal.utils", ("download_weight_file",), 2),
    ("brainscore_vision.model_helpers.brain_transformation.temporal", ("fix_timebin_naming",), 1),
    ("brainscore_vision.model_helpers.utils", ("fullname",), 1),
)
#: rows importing another plugin folder (or the folder itself) by its Brain-Score name: 8 + 2 + 2 folders; they
#: resolve when the imported folder is in a plugin directory (tests/plugdirs/test_layouts.py)
SIBLING_FOLDERS = 12
#: the research note's tiers (section 1.2): the names each adds, and the folders whose imports are all in it
TIERS = {
    "T1": ((0, 1, 2, 3, 4, 5, 10, 12), 252),
    "T2": ((6, 7, 8, 13), 551),
    "T3": ((9, 11, 17, 21, 22, 23), 578),  # row indices into IMPORT_ROWS
}
FOLDERS = 606


def _provided(row: tuple[str, tuple[str | None, ...], int]) -> bool:
    module, names, _ = row
    return all(is_provided(ImportedName(module, name, "")) for name in names)


def coverage_sentence() -> str:
    provided = [row for row in IMPORT_ROWS if _provided(row)]
    missing = [row for row in IMPORT_ROWS if not _provided(row)]
    tiers_done = []
    indices: list[int] = []
    for tier, (rows, _) in TIERS.items():
        indices += list(rows)
        if all(_provided(IMPORT_ROWS[i]) for i in indices):
            tiers_done.append(tier)
    best = tiers_done[-1]
    folders = TIERS[best][1]
    largest_missing = max(row[2] for row in missing)
    return (
        f"{len(provided)} of the {len(IMPORT_ROWS)} Brain-Score imports in the research note's table are provided; "
        f"every name of its tier {best} is, and {folders} of the {FOLDERS} model plugin folders of brainscore-vision "
        f"2.4.2 ({100 * folders / FOLDERS:.1f} %) import nothing outside {best}. Each import that is not provided "
        f"is used by at most {largest_missing} folders"
    )


def test_the_readme_states_the_computed_coverage() -> None:
    sentence = coverage_sentence()
    assert sentence in " ".join(README.read_text().split()), f"README should say: {sentence}"


@pytest.mark.parametrize("row", [r for r in IMPORT_ROWS if r[2] >= 100], ids=lambda r: f"{r[0]}.{r[1][0]}")
def test_every_import_of_more_than_100_folders_is_provided(row) -> None:
    assert _provided(row)


def test_the_tiers_name_18_rows_each_once() -> None:
    rows = [i for tier_rows, _ in TIERS.values() for i in tier_rows]
    assert len(rows) == len(set(rows)) == 18
    assert {IMPORT_ROWS[i][1][0] for i in TIERS["T1"][0]} == {
        "model_registry",
        "ModelCommitment",
        "PytorchWrapper",
        "check_models",
        "load_preprocess_images",
        None,
        "load_model",
        "score",
    }
