project = "Dictionary"
extensions = ["myst_parser", "edition"]
exclude_patterns = ["_build"]
language = "en"
edition_texts = ["tei/dictionary.xml"]
edition_registers = []
