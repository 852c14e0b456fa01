project = "Test edition"
extensions = ["myst_parser", "edition"]
exclude_patterns = ["_build"]
# edition_texts and edition_registers are given by the tests (confoverrides)
