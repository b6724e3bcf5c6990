"""Weights offline: a Brain-Score plugin's model that needs absent weights fails to build with one message naming
the file and where to put it; with the file there it builds; nothing is downloaded unless
BRAINSCORE_DOWNLOAD_WEIGHTS=1, and then the download is announced."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
import torchvision
from plugdir_helpers import write_plugin

import brainscore_core as b
from brainscore_core.plugins._offline import WeightsOfflineError, offline_build
from brainscore_core.supported_data_standards.brainio.s3 import WeightFileMissingError

TOY = Path(__file__).parent / "toy_plugins"
NEEDS = TOY / "checkout" / "brainscore_vision" / "models" / "needs_weights"
RESNET18_FILE = "resnet18-f37072fd.pth"


@contextlib.contextmanager
def _torch_hub_dir(directory: Path) -> Iterator[Path]:
    previous = torch.hub.get_dir()
    torch.hub.set_dir(str(directory))
    try:
        yield directory
    finally:
        torch.hub.set_dir(previous)


@pytest.fixture
def hub_dir(tmp_path: Path, plugin_host, isolated_cache) -> Iterator[Path]:
    """An empty torch hub directory, and the toy checkout (with needs_weights) discovered."""
    with _torch_hub_dir(tmp_path / "hub") as directory:
        b.plugins.add_plugin_directories(TOY / "checkout")
        yield directory


def _resnet18_state(seed: int) -> dict[str, torch.Tensor]:
    torch.manual_seed(seed)
    return torchvision.models.resnet18(weights=None).state_dict()


def _assert_loaded(model, state: dict[str, torch.Tensor]) -> None:
    network = model.activations_model._model
    assert torch.equal(network.state_dict()["conv1.weight"], state["conv1.weight"])


def test_torchvision_weights_absent_then_present(hub_dir: Path) -> None:
    expected = hub_dir / "checkpoints" / RESNET18_FILE
    with pytest.raises(WeightsOfflineError) as raised:
        b.load_model("needs_torchvision_weights")
    message = str(raised.value)
    assert str(expected) in message and f"https://download.pytorch.org/models/{RESNET18_FILE}" in message
    assert "needs_torchvision_weights" in message and str(NEEDS) in message and "TORCH_HOME" in message
    expected.parent.mkdir(parents=True, exist_ok=True)
    state = _resnet18_state(3)
    torch.save(state, expected)
    _assert_loaded(b.load_model("needs_torchvision_weights"), state)


def test_s3_weight_file_absent_then_present(hub_dir: Path, isolated_cache: Path) -> None:
    expected = isolated_cache / "brainscore-vision" / "models" / "user_0" / "resnet18_toy_s3.pth"
    with pytest.raises(WeightFileMissingError) as raised:
        b.load_model("needs_s3_weights")
    assert f"Put it at {expected}" in str(raised.value)
    expected.parent.mkdir(parents=True, exist_ok=True)
    state = _resnet18_state(4)
    torch.save(state, expected)
    _assert_loaded(b.load_model("needs_s3_weights"), state)


def test_a_url_through_torch_hub_absent_then_present(hub_dir: Path) -> None:
    expected = hub_dir / "checkpoints" / "resnet18_toy_url.pth"
    with pytest.raises(WeightsOfflineError) as raised:
        b.load_model("needs_url_weights")
    assert str(expected) in str(raised.value) and "https://weights.example.org/toy/resnet18_toy_url.pth" in str(
        raised.value
    )
    expected.parent.mkdir(parents=True, exist_ok=True)
    state = _resnet18_state(5)
    torch.save(state, expected)
    _assert_loaded(b.load_model("needs_url_weights"), state)


def test_any_other_download_names_the_url_the_target_and_the_plugin_line(hub_dir: Path) -> None:
    with pytest.raises(WeightsOfflineError) as raised:
        b.load_model("needs_urlretrieve_weights")
    message = str(raised.value)
    assert "https://weights.example.org/toy/resnet18_toy_retrieved.pth" in message
    assert str(NEEDS / "resnet18_toy_retrieved.pth") in message
    assert "model.py:" in message and "urlretrieve(" in message
    assert socket.getaddrinfo is socket.__dict__["getaddrinfo"]  # the guard is gone after the build
    assert socket.getaddrinfo("localhost", 80)  # and sockets work again


HUB_PLUGIN = """
from brainscore_vision import model_registry
from brainscore_vision.model_helpers.brain_transformation import ModelCommitment
from .model import get_model

model_registry['hub_model'] = lambda: ModelCommitment(identifier='hub_model', activations_model=get_model(),
                                                      layers=['layer1'], region_layer_map={'IT': 'layer1'})
"""
HUB_MODEL = """
import functools
import torch
from brainscore_vision.model_helpers.activations.pytorch import PytorchWrapper, load_preprocess_images

def get_model():
    network = torch.hub.load('toyowner/toyrepo', 'tiny', pretrained=False)
    return PytorchWrapper(identifier='hub_model', model=network,
                          preprocessing=functools.partial(load_preprocess_images, image_size=32))
"""
HUBCONF = """
import torchvision

def tiny(pretrained=False):
    return torchvision.models.resnet18(weights=None)
"""


def test_torch_hub_load_uses_a_local_clone_or_names_where_to_put_it(tmp_path, hub_dir: Path) -> None:
    write_plugin(tmp_path / "models" / "hub_plugin", HUB_PLUGIN, model_py=HUB_MODEL)
    b.plugins.add_plugin_directories(tmp_path)
    clone = hub_dir / "toyowner_toyrepo_main"
    with pytest.raises(WeightsOfflineError) as raised:
        b.load_model("hub_model")
    assert "toyowner/toyrepo" in str(raised.value) and str(clone) in str(raised.value)
    clone.mkdir(parents=True)
    (clone / "hubconf.py").write_text(HUBCONF)
    assert b.load_model("hub_model").identifier == "hub_model"


class _Weights(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


def test_with_downloads_allowed_a_torch_hub_download_is_announced_and_runs(tmp_path, monkeypatch, capsys) -> None:
    buffer = tmp_path / "state.pth"
    torch.save({"weight": torch.ones(2)}, buffer)
    _Weights.body = buffer.read_bytes()
    server = http.server.HTTPServer(("127.0.0.1", 0), _Weights)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/served.pth"
    monkeypatch.setenv("BRAINSCORE_DOWNLOAD_WEIGHTS", "1")
    try:
        with _torch_hub_dir(tmp_path / "hub"), offline_build("served_model", tmp_path):
            state = torch.hub.load_state_dict_from_url(url, progress=False)
    finally:
        server.shutdown()
    assert torch.equal(state["weight"], torch.ones(2))
    assert (tmp_path / "hub" / "checkpoints" / "served.pth").is_file()
    assert f"brainscore: model 'served_model' downloads {url}" in capsys.readouterr().err


def test_without_permission_a_local_server_is_refused_too(tmp_path) -> None:
    with offline_build("m", tmp_path), pytest.raises(WeightsOfflineError, match="tried to download"):
        socket.create_connection(("127.0.0.1", 9))
