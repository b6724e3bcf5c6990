raise ImportError("A Brain-Score benchmark plugin: discovery of a Brain-Score checkout takes only its models/.")
