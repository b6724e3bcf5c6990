"""Brain-Score's ``brainscore_core.supported_data_standards`` path, for the weight helpers its model plugins
import (:mod:`.brainio.s3`)."""

__all__: list[str] = []
