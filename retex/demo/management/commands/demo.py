import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from retex.consultations.models import Consultation
from retex.demo import showcase
from retex.demo.services import DEFAULT_BATCH_SIZE, demo_setup, testimonies_generate


class Command(BaseCommand):
    help = (
        "Set up the demo: the territories reference if empty, the seeds' consultation with its"
        " testimonies, and an organiser account with a fresh password (printed at the end)."
        " Safe to run again. With --count N, also add N generated testimonies (benchmarks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count",
            type=int,
            default=0,
            help="Add this many generated testimonies (in addition to the demo ones).",
        )
        parser.add_argument(
            "--seed", default="1", help="Seed of the generator: same seed, same testimonies."
        )
        parser.add_argument(
            "--consultation",
            default=showcase.SLUG,
            metavar="SLUG",
            help="Consultation that receives the generated testimonies (default: the demo's).",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--base-url",
            default=settings.RETEX_BASE_URL,
            help="Where the site runs, to print the login address.",
        )

    def handle(
        self,
        *args,
        count: int,
        seed: str,
        consultation: str,
        batch_size: int,
        base_url: str,
        **options,
    ) -> None:
        if count < 0 or batch_size <= 0:
            raise CommandError("--count must be positive or zero, --batch-size positive.")
        say = self.stdout.write
        report = demo_setup(progress=say)
        if report.testimonies_created:
            say(f"{report.testimonies_created} demo testimonies created.")
        else:
            say("Demo testimonies already there: nothing added.")

        if count:
            target = Consultation.objects.filter(slug=consultation).first()
            if target is None:
                raise CommandError(f"No consultation with the slug “{consultation}”.")
            say(f"Generating {count} testimonies for “{target.title}” (seed {seed})…")
            started = time.monotonic()
            written = testimonies_generate(
                consultation=target,
                count=count,
                seed=seed,
                batch_size=batch_size,
                progress=say,
            )
            elapsed = time.monotonic() - started
            say(
                self.style.SUCCESS(
                    f"Generated {written} testimonies in {elapsed:.1f} s"
                    f" ({written / elapsed:,.0f} rows/s)."
                )
            )

        base = base_url.rstrip("/")
        say("")
        say(self.style.SUCCESS("Demo ready."))
        say(f"  Consultation: {base}{report.consultation.get_absolute_url()}")
        say(f"  Back office: {base}{reverse('moderation:home')}")
        say(f"  Username: {report.organiser_username}")
        say(f"  Password: {report.organiser_password}")
