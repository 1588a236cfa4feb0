"""Real footage: videos from YouTube (or any site yt-dlp knows) and from a local folder.

The hook registers torch- and yt-dlp-free declarations; each source's module is imported
only when a run prepares its clips.
"""

from vpkit import hookimpl


@hookimpl
def register_sources(register):
    from vpkit_youtube.declarations import FolderSourceDeclaration, YoutubeSourceDeclaration

    register(YoutubeSourceDeclaration)
    register(FolderSourceDeclaration)
