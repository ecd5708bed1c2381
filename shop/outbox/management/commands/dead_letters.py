"""List, retry or discard dead letters (tasks Dramatiq gave up on), as the Django admin does."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import Truncator

from shop.outbox.dead_letters import Decisions, dead_letters_discard, dead_letters_retry
from shop.outbox.models import DeadLetter


class Command(BaseCommand):
    help = "Dead letters: `list` (awaiting ones; --status for others), `retry <id>...|--all`, `discard <id>...|--all`."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        listing = commands.add_parser("list", help="dead letters, newest first")
        listing.add_argument("--status", choices=[*DeadLetter.Status.values, "all"], default="awaiting")
        for name, description in (("retry", "run again through the outbox"), ("discard", "close without running")):
            decide = commands.add_parser(name, help=description)
            decide.add_argument("ids", nargs="*", type=int)
            decide.add_argument("--all", action="store_true", help="every dead letter awaiting a decision")

    def handle(self, *args, command, **options):
        if command == "list":
            return self._list(options["status"])
        ids = options["ids"]
        if options["all"]:
            ids = list(DeadLetter.objects.filter(status=DeadLetter.Status.AWAITING).values_list("pk", flat=True))
        elif not ids:
            raise CommandError(f"{command}: give dead letter ids, or --all")
        if command == "retry":
            self._report(dead_letters_retry(ids=ids), "queued again")
        else:
            self._report(dead_letters_discard(ids=ids), "discarded")

    def _list(self, status: str) -> None:
        rows = DeadLetter.objects.all() if status == "all" else DeadLetter.objects.filter(status=status)
        count = 0
        for dead in rows.iterator():
            count += 1
            when = dead.created_at.strftime("%Y-%m-%d %H:%M")
            task = f"{dead.actor_name}{tuple(dead.args)}"
            self.stdout.write(
                f"{dead.pk:>6}  {when}  {dead.queue_name:<10} {dead.status:<9} {dead.reason:<7} "
                f"{task}  {Truncator(dead.error).chars(100)}"
            )
        self.stdout.write(f"{count} dead letter(s) ({status}).")

    def _report(self, decisions: Decisions, verb: str) -> None:
        done = ", ".join(map(str, decisions.done)) or "none"
        self.stdout.write(f"{len(decisions.done)} dead letter(s) {verb}: {done}.")
        for pk, why in decisions.skipped.items():
            self.stderr.write(f"dead letter {pk} skipped: {why}")
        if decisions.skipped and not decisions.done:
            raise CommandError("nothing was done")
