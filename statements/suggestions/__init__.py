"""Statement suggestions: the direct quotes and reported speech an article attributes to
people, with their speakers matched against the archive's officials.

    directory = SpeakerDirectory.from_database()
    for suggestion in suggest_statements(text, directory=directory, has_title=True):
        ...

Standard library only: patterns over the text, no language model.
"""

from .speakers import SpeakerDirectory
from .suggester import Suggestion, suggest_statements

__all__ = ["SpeakerDirectory", "Suggestion", "suggest_statements"]
