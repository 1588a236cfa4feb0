"""A command plugin: `vpkit store-info STORE` prints what a clip store holds."""

import click

from vpkit import ClipStore, hookimpl


@hookimpl
def register_commands(cli):
    @cli.command("store-info")
    @click.argument("store", type=click.Path(exists=True, file_okay=False))
    def store_info(store):
        """Print the clips and shards in each split of the clip store STORE."""
        summary = ClipStore(store).summary()
        for split, clips in summary.clips.items():
            click.echo(f"{split}: {clips} clips in {summary.shards[split]} shards")
        click.echo(f"skipped inputs: {len(summary.skipped)}")
