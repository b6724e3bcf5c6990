"""A broken plugin never takes the others down: rollback, SystemExit, noisy imports, entry points, bad paths.

Each scenario runs in a fresh interpreter: registries and discovery are process-wide.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from brainscore_core.cli import LISTABLE, build_parser
from brainscore_core.registry import REGISTRIES

TOY = Path(__file__).parent / "toy_plugins"
GOOD_INIT = 'from brainscore_core import model_registry\nmodel_registry["{name}"] = lambda: "{name}"\n'


def plugin(root: Path, name: str, init: str) -> Path:
    folder = root / "models" / name
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(textwrap.dedent(init))
    return folder


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "BRAINSCORE_PLUGINS_PATH"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=environment, timeout=300, check=False
    )


def python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return run(["-c", textwrap.dedent(code)], env)


DISCOVER = """
    import warnings, brainscore_core as b
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        b.plugins.add_plugin_directories({root!r})
        models = list(b.model_registry)
    print("models", sorted(m for m in models if m.startswith("p_")))
    print("failures", [(f.location.rsplit("/", 1)[-1], f.error) for f in b.plugins.failed_plugins()])
    for warning in caught:
        print("warning", warning.message)
"""


def test_a_plugin_that_registers_then_raises_leaves_no_identifier_behind(tmp_path: Path) -> None:
    plugin(tmp_path, "a_fine", GOOD_INIT.format(name="p_fine"))
    plugin(
        tmp_path,
        "half",
        """
        from brainscore_core import benchmark_registry, model_registry
        model_registry["p_half"] = lambda: None
        benchmark_registry["p_half_bench"] = lambda: None
        raise RuntimeError("boom in plugin init")
        """,
    )
    plugin(tmp_path, "z_after", GOOD_INIT.format(name="p_after"))
    result = python(
        textwrap.dedent(DISCOVER.format(root=str(tmp_path)))
        + "print('bench', 'p_half_bench' in b.benchmark_registry)\n"
        + "try:\n    b.load_model('p_half')\nexcept b.UnknownIdentifierError as error:\n    print('unknown', error)\n"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "models ['p_after', 'p_fine']" in lines
    assert "failures [('half', 'RuntimeError: boom in plugin init')]" in lines
    assert "bench False" in lines
    assert f"warning Plugin {tmp_path / 'models' / 'half'} failed to load: RuntimeError: boom in plugin init" in lines
    unknown = next(line for line in lines if line.startswith("unknown"))
    assert "Unknown model identifier 'p_half'" in unknown and "failed to load and may have provided it: half" in unknown


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("import sys\nsys.exit(3)\n", "SystemExit: 3"),
        ("class Odd(BaseException):\n    pass\nraise Odd('odd')\n", "Odd: odd"),
    ],
    ids=["sys-exit", "base-exception"],
)
def test_sys_exit_or_base_exception_on_import_is_a_failed_plugin(tmp_path: Path, body: str, error: str) -> None:
    plugin(tmp_path, "quitter", 'from brainscore_core import model_registry\nmodel_registry["p_q"] = str\n' + body)
    plugin(tmp_path, "z_after", GOOD_INIT.format(name="p_after"))
    result = python(DISCOVER.format(root=str(tmp_path)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "models ['p_after']" in lines
    assert f"failures [('quitter', {error!r})]" in lines
    assert f"warning Plugin {tmp_path / 'models' / 'quitter'} failed to load: {error}" in lines


def test_keyboard_interrupt_in_a_plugin_still_stops_the_run_and_rolls_back(tmp_path: Path) -> None:
    plugin(
        tmp_path,
        "ctrl_c",
        'from brainscore_core import model_registry\nmodel_registry["p_c"] = str\nraise KeyboardInterrupt\n',
    )
    result = python(f"""
        import brainscore_core as b
        try:
            b.plugins.add_plugin_directories({str(tmp_path)!r})
            list(b.model_registry)
        except KeyboardInterrupt:
            print("interrupted", "p_c" in b.model_registry._entries)
    """)
    assert result.stdout.strip() == "interrupted False", result.stderr


def test_the_cli_names_a_plugin_that_exits_and_still_lists_the_others(tmp_path: Path) -> None:
    plugin(tmp_path, "quitter", "import sys\n\nsys.exit(3)\n")
    plugin(tmp_path, "z_after", GOOD_INIT.format(name="p_after"))
    result = run(["-m", "brainscore_core.cli", "--plugins", str(tmp_path), "list", "models"])
    assert result.returncode == 0, result.stderr
    assert "p_after" in result.stdout
    quitter = tmp_path / "models" / "quitter"
    # the warning points at the plugin's own failing line, not at the discovery code
    expected = f"{quitter / '__init__.py'}:3: RuntimeWarning: Plugin {quitter} failed to load: SystemExit: 3"
    assert result.stderr.splitlines()[:2] == [expected, "  sys.exit(3)"]


def test_a_plugin_printing_on_import_cannot_corrupt_score_json(tmp_path: Path) -> None:
    plugin(
        tmp_path,
        "chatty",
        """
        import sys
        for line in range(2000):
            print("chatty line", line)
        print("chatty on stderr", file=sys.stderr)
        """,
    )
    result = run(
        [
            *("-m", "brainscore_core.cli", "--plugins", str(TOY), "--plugins", str(tmp_path), "score"),
            *("--model", "toy-mean-color-g1", "--benchmark", "Toy.V4-color", "--json"),
        ]
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["model_identifier"] == "toy-mean-color-g1"
    assert "chatty line 1999" in result.stderr and "chatty on stderr" in result.stderr


# --- entry points: each distribution on its own --------------------------------------------------------------
def distribution(site: Path, name: str, module_source: str) -> None:
    module = name.replace("-", "_")
    (site / module).mkdir(parents=True)
    (site / module / "__init__.py").write_text(textwrap.dedent(module_source))
    info = site / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[brainscore]\n{module} = {module}\n")


REGISTERS = """
from brainscore_core.plugins import hookimpl

@hookimpl
def brainscore_register(registries):
    registries["models"]["{model}"] = lambda: "{model}"
    {tail}
"""


def test_one_broken_entry_point_distribution_does_not_stop_the_others(tmp_path: Path) -> None:
    site = tmp_path / "site"
    distribution(site, "aaa-broken-import", "raise ImportError('missing dependency of aaa')\n")
    distribution(site, "bbb-exits", "import sys\nsys.exit(5)\n")
    distribution(site, "ccc-bad-hook", REGISTERS.format(model="ep_half", tail="raise ValueError('hook failed')"))
    distribution(site, "ddd-good", REGISTERS.format(model="ep_good", tail="pass"))
    distribution(site, "eee-good", REGISTERS.format(model="ep_good2", tail="pass"))
    result = python(
        """
        import warnings, brainscore_core as b
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            print(sorted(m for m in b.model_registry if m.startswith("ep_")))
        for warning in caught:
            print("warning", warning.message)
        for failure in sorted(b.plugins.failed_plugins(), key=lambda f: f.location):
            print(failure.location, "|", failure.error)
        """,
        env={"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "['ep_good', 'ep_good2']"
    assert "ep_half" not in result.stdout  # registered by the hook that then raised: rolled back
    assert [line for line in lines if not line.startswith("warning")][1:] == [
        "aaa-broken-import | ImportError: missing dependency of aaa",
        "bbb-exits | SystemExit: 5",
        "ccc-bad-hook | ValueError: hook failed",
    ]
    assert (
        "warning Entry point 'aaa_broken_import' of distribution 'aaa-broken-import' failed to load: "
        "ImportError: missing dependency of aaa"
    ) in lines
    assert (
        "warning Hook brainscore_register of distribution 'ccc-bad-hook' failed to load: ValueError: hook failed"
        in lines
    )


# --- BRAINSCORE_PLUGINS_PATH errors name the variable, in one line ----------------------------------------------
def test_a_bad_plugins_path_variable_is_named_in_one_cli_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run(["-m", "brainscore_core.cli", "list", "models"], env={"BRAINSCORE_PLUGINS_PATH": str(missing)})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: BRAINSCORE_PLUGINS_PATH: plugin directory {missing} does not exist or is not a directory; "
        "fix the variable or unset it."
    )


# --- unknown identifiers: the right `brainscore list` name, and the missing plugin directory -------------------
@pytest.mark.parametrize("key", list(REGISTRIES))
def test_the_list_hint_names_a_real_cli_command(key: str) -> None:
    from brainscore_core.errors import UnknownIdentifierError
    from brainscore_core.registry import Registry

    registry: Registry = REGISTRIES[key]
    assert registry.listing == key and key in LISTABLE
    assert build_parser().parse_args(["list", registry.listing]).kind == key
    message = str(UnknownIdentifierError(registry.kind, "zzzz", [], listing=registry.listing))
    assert f"run `brainscore list {key}` to see them all" in message


def test_an_unknown_identifier_without_plugin_directory_says_so(tmp_path: Path) -> None:
    result = python(
        """
        import brainscore_core as b
        for identifier in ("cornet_s", "pixelz"):
            try:
                b.load_model(identifier)
            except b.UnknownIdentifierError as error:
                print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    unrelated, typo = result.stdout.splitlines()
    assert unrelated == (
        "Unknown model identifier 'cornet_s'. No registered model is close; run `brainscore list models` to see them "
        "all. No plugin directory was given; pass --plugins=DIR (brainscore) or --brainscore-plugins=DIR (pytest) or "
        "set BRAINSCORE_PLUGINS_PATH (the directory holding its plugin folder) if it comes from a plugin."
    )
    assert typo == "Unknown model identifier 'pixelz'. Did you mean: 'pixels'?"


def test_with_a_plugin_directory_given_close_identifiers_are_listed_as_before(tmp_path: Path) -> None:
    plugin(tmp_path, "fine", GOOD_INIT.format(name="p_fine"))
    result = python(f"""
        import brainscore_core as b
        b.plugins.add_plugin_directories({str(tmp_path)!r})
        try:
            b.load_model("cornet_s")
        except b.UnknownIdentifierError as error:
            print(error)
    """)
    assert result.stdout.strip() == "Unknown model identifier 'cornet_s'. Did you mean: 'resnet18'?", result.stderr
