project = "Processing model"
extensions = ["myst_parser", "edition"]
exclude_patterns = ["_build"]
edition_texts = ["tei/model.xml"]
edition_registers = []
