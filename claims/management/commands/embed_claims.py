"""Store the sentence embedding of every claim that lacks one or has a stale one."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims import embeddings, selectors
from claims.services.embeddings import (
    claim_embeddings_store,
    claims_needing_embedding,
)


class Command(BaseCommand):
    help = (
        "Embed the claims that have no vector by the model CLAIM_EMBEDDING_MODEL "
        "names, or one computed from words they no longer have (needs "
        "requirements-semantic.txt). Each batch is stored in its own "
        "transaction, so a stopped run keeps what it did and the next one "
        "carries on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="embed every claim again"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=256,
            help="claims encoded and stored together (default 256)",
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        reason = embeddings.unavailable_reason()
        if reason is not None:
            raise CommandError(reason)
        claims = list(selectors.claims_for_embedding())
        if not options["all"]:
            claims = claims_needing_embedding(claims)
        size = options["batch_size"]
        with tqdm(total=len(claims), unit="claim", disable=None) as progress:
            for start in range(0, len(claims), size):
                batch = claims[start : start + size]
                claim_embeddings_store(claims=batch, refresh=True)
                progress.update(len(batch))
        self.stdout.write(
            f"Embedded {len(claims)} claims with {embeddings.model_name()}."
        )
