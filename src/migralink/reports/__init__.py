"""Local-government evidence profiles as PDF (Typst) and HTML, in Korean and English.

Public surface:

* :func:`load_profile_data`: read the released indicators, regions, catalogue and
  sources once (through the release path, with disclosure control);
* :func:`render_profile`: one region's profile as PDF or HTML bytes;
* :func:`write_profiles`: every province or local government into a folder;
* :func:`build_profile`: the profile as a document (sections, figures and tables).

>>> from migralink.evidence import Evidence                          # doctest: +SKIP
>>> with Evidence("migralink.duckdb", read_only=True) as ev:         # doctest: +SKIP
...     data = load_profile_data(ev)
>>> render_profile(data, "안산시", lang="en").content[:4]            # doctest: +SKIP
b'%PDF'
"""

from migralink.reports.batch import Rendered, profile_regions, render_profile, write_profiles
from migralink.reports.data import ProfileData, load_profile_data
from migralink.reports.profile import Profile, build_profile

__all__ = [
    "Profile",
    "ProfileData",
    "Rendered",
    "build_profile",
    "load_profile_data",
    "profile_regions",
    "render_profile",
    "write_profiles",
]
