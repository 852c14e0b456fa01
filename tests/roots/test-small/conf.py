project = "Small edition"
extensions = ["myst_parser", "edition"]
exclude_patterns = ["_build"]
edition_texts = ["tei/letter.xml"]
edition_registers = ["tei/register.xml"]
