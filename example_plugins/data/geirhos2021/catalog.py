"""Facts about Brain-Score's 17 Geirhos2021 data sets: file names and SHA-1s, sizes, and which ship offline.

From brain-score/vision 2.4.2 (``data/geirhos2021/__init__.py``, ``data/geirhos2021/test.py``), as collected in
the project's research notes. Files live in Brain-Score's public bucket ``brainscore-storage`` under
``brainio-brainscore/``, each with version id ``null``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DATASETS", "OFFLINE_EXPERIMENTS", "Dataset", "dataset"]


@dataclass(frozen=True)
class Dataset:
    """One Geirhos2021 data set: its files (with SHA-1s) and the sizes Brain-Score's data tests assert."""

    name: str  #: e.g. ``cue-conflict`` (hyphens kept, as in Brain-Score's data identifiers)
    assembly_sha1: str
    csv_sha1: str
    zip_sha1: str
    images: int  #: stimuli in the stimulus set
    presentations: int  #: trials in the assembly (all subjects)
    subjects: int

    @property
    def identifier(self) -> str:
        """The data and stimulus-set identifier, e.g. ``Geirhos2021_cue-conflict``."""
        return f"Geirhos2021_{self.name}"

    @property
    def assembly_file(self) -> str:
        return f"assy_brendel_Geirhos2021_{self.name}.nc"

    @property
    def csv_file(self) -> str:
        return f"stimulus_Geirhos2021_{self.name}.csv"

    @property
    def zip_file(self) -> str:
        return f"stimulus_Geirhos2021_{self.name}.zip"

    @property
    def offline(self) -> bool:
        """True when the human trials ship with this project (``Geirhos2019.<experiment>``)."""
        return self.name in OFFLINE_EXPERIMENTS


_ROWS = [
    # name, assembly sha1, csv sha1, zip sha1, images, presentations, subjects
    ("colour", "258862d82467614e45cc1e488a5ac909eb6e122d", "9c97c155fd6039a95978be89eb604c6894c5fa16",
     "d166f1d3dc3d00c4f51a489e6fcf96dbbe778d2c", 1280, 5120, 4),
    ("contrast", "1e114c987dc035ccca43781ff8cee9689acd3c3f", "f6ef69a2e8937e1d0d83c8a21b325b4273494cb5",
     "ebeeef2f9c6a7282e20ef2026dc77eefa026957b", 1280, 5120, 4),
    ("cue-conflict", "cc214e3595d34565b13963c5f56049769a39a5c9", "8d3ae89d8870fb7d7c5d5ff387085b1f0116e2b7",
     "7e601186b181102939cd0b43a4e8a3ca95c18259", 1280, 12800, 10),
    ("edge", "ab1dc9e188e248da07215b375eb3dbcc58fde7fb", "fb57005ecb80e4e37b01e084f1f176fe7f59ff7f",
     "6c1199d90836a26be454aa799864a63c5efacaa1", 160, 1600, 10),
    ("eidolonI", "0f01f351ae19eafc2cb5e504d98e5cd01b4c07b4", "049adbed36fed52c609d38d5230e6084336df6b9",
     "abaa45a225628dd66e424ec7d8e2b10a0c88bc0d", 1280, 5120, 4),
    ("eidolonII", "499eea0f0c0817d02b5b97d2ebab89bc4c40a153", "1806ada128c260ab54db570d2e73aea71d679754",
     "2654ba55291f8ab972f18b36565f9ead80a45339", 1280, 5120, 4),
    ("eidolonIII", "e7c9a49e729f8666f8aedc6e47c746fbbe2ebe36", "ba0173b315f02df16d418dc3ff1df7dc498b4893",
     "d0304c0c0024d0f493ea9c0c47ae0221da391016", 1280, 5120, 4),
    ("false-colour", "4dc072264651c81575564ba4818a12b8e8039c65", "8a09a7af8ec44339bcae5500ae5900d9c4309042",
     "ec0ba347fc14d0c0587d38bfa96e4ab5d2f7979a", 1120, 4480, 4),
    ("high-pass", "5df45c69127758f1ba3391671c521711050e3b4d", "ddf523dcf43398cc15894c7b51c436d526e6c992",
     "12322bb17270a5dde206314fcdc125c4bb235e3b", 1280, 5120, 4),
    ("low-pass", "75ab628d9e6d0d634290567b1cb261d7f8dc61e2", "1264f9be407c7d428cf3d62a7bb1b1bb45a821bc",
     "ad087676e04e51adadea7c7c5c1fa28e4dd6360c", 1280, 5120, 4),
    ("phase-scrambling", "4124f9f5b86fb6ed82c98197d292eef50b608aba", "0cc87f7ac42c2266f98d3a08783f7173499ec2fc",
     "462e77ab9533072b7036118f1f697e8c9bf30ae4", 1120, 4480, 4),
    ("power-equalisation", "0aba1b50a7e0802d76c41d332a121a3f96ef4f7d", "743935476b1fe4b7bd4d01a4eed24cd9ed5b3a22",
     "a0d5307525bccf8da8f3d293e7e324b9b20248c6", 1120, 4480, 4),
    ("rotation", "e51a5c3bc95ade159e71aa602232063730bcd57b", "2577831e9ead905669613fa17cb2651d0c48a455",
     "8f5d9cb217807e96ace61337144e429d0d4ba04c", 1280, 5120, 4),
    ("silhouette", "7dc94991465fe8009244e0d6fb8283419a1f9885", "fb57005ecb80e4e37b01e084f1f176fe7f59ff7f",
     "36c8a481f7876a2af2ad4fe80890b302fe3ae91e", 160, 1600, 10),
    ("sketch", "6709850864cea16d99a29fb31ae3c4a489983562", "a5741b2f7bd08541a0dbefd7fb2d6a3845ca800b",
     "8e8712f08a5ad3655ea2bd8cd675db8cdf65129a", 800, 5600, 7),
    ("stylized", "dcf15f292e787a88e1e0f271e6b2838d6bdadfd3", "2265a540dee6915150bf7c61143eaf788f603866",
     "75d273e8de643b0d814fbe60cd237c31ebe19c44", 800, 4000, 5),
    ("uniform-noise", "f5e8b2636738f978c71591b8df6f8a21a66b72d1", "89b62a6af878974d388278ed0e23e8ed1c2fd855",
     "ff4566542d65056028660293e2409b532e887714", 1280, 5120, 4),
]  # fmt: skip

#: The 17 data sets in Brain-Score's order, by name.
DATASETS: dict[str, Dataset] = {row[0]: Dataset(*row) for row in _ROWS}

#: Data sets whose human trials are those of Geirhos et al. 2019, shipped as ``Geirhos2019.<experiment>``: served
#: from there (``loaders.load_offline_trials``), never downloaded. Checked by ``test.py`` (sizes, subjects,
#: conditions, and the ceilings Brain-Score pins).
OFFLINE_EXPERIMENTS = {"cue-conflict": "cue_conflict", "edge": "edges", "silhouette": "silhouettes"}


def dataset(name: str) -> Dataset:
    """The data set ``name`` (e.g. ``cue-conflict``); an unknown name lists the 17."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"Unknown Geirhos2021 data set {name!r}; known: {list(DATASETS)}.") from None
