import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from retex.explore.search import search_index_rebuild


class Command(BaseCommand):
    help = "Manage the full-text search index. `search rebuild` indexes every published testimony."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        rebuild = subcommands.add_parser(
            "rebuild",
            help="Index every published testimony again and drop the others (safe while the site"
            " runs).",
        )
        rebuild.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, action: str, batch_size: int, **options) -> None:
        if action == "rebuild":
            if batch_size <= 0:
                raise CommandError("--batch-size must be positive.")
            started = time.monotonic()
            count = search_index_rebuild(
                progress=lambda message: self.stdout.write(message), batch_size=batch_size
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Search index rebuilt: {count} testimonies in"
                    f" {time.monotonic() - started:.1f} s."
                )
            )
