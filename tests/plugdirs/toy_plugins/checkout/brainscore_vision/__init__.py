raise ImportError("Stands for Brain-Score's own brainscore_vision package: pytest-brainscore must never import it.")
