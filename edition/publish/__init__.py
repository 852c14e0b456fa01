"""Publishing: the TEI copies and the teiCorpus export, citations, the search index, the finished site."""
