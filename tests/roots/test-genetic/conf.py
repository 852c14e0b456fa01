project = "A genetic transcription"
extensions = ["myst_parser", "edition"]
exclude_patterns = ["_build"]
edition_texts = ["tei/notebook.xml"]
edition_registers = ["tei/persons.xml"]
