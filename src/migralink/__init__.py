"""migralink: an evidence base for migration policy and social integration.

Official statistics, ingested from their published files into one harmonised, versioned
DuckDB cube with provenance and code lists. Start with :func:`open`.
"""

from migralink.errors import MigralinkError
from migralink.evidence import Evidence
from migralink.evidence import open_evidence as open

__all__ = ["Evidence", "MigralinkError", "open"]
__version__ = "0.1.0"
