"""``brainscore_core.supported_data_standards.brainio``: only :mod:`.s3` (the weight helpers) is provided."""

__all__: list[str] = []
