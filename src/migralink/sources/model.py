"""Re-export of the neutral model (it lives in :mod:`migralink.model`) for the readers."""

from migralink.model import OBS_STATUS, DatasetMeta, DimensionMeta, Reject, SourceTable

__all__ = ["OBS_STATUS", "DatasetMeta", "DimensionMeta", "Reject", "SourceTable"]
