"""Real footage: videos from YouTube (or any site yt-dlp knows) and from a local folder."""

from vpkit import hookimpl
from vpkit_youtube.folder import FolderSource
from vpkit_youtube.source import YoutubeSource


@hookimpl
def register_sources(register):
    register(YoutubeSource)
    register(FolderSource)
