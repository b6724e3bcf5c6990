"""``brainscore_vision.model_helpers.check_submission``: ``check_models`` (cheap to import)."""

__all__: list[str] = []
