"""The demo's refused and returned testimonies come with the decision that says why."""

import pytest

from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.demo.services import (
    demo_consultation_create,
    demo_testimonies_create,
    testimonies_generate,
)
from retex.moderation.models import DecisionKind, ModerationDecision

S = TestimonyStatus


@pytest.mark.django_db
def test_every_demo_refusal_has_its_reason_and_date():
    consultation, _created = demo_consultation_create()
    demo_testimonies_create(consultation=consultation)

    rejected = Testimony.objects.filter(consultation=consultation, status=S.REJECTED)
    assert rejected.count() == 2
    reasons = {}
    for testimony in rejected:
        decision = ModerationDecision.objects.get(testimony=testimony)
        assert decision.kind == DecisionKind.REJECT
        assert decision.created_at == testimony.updated_at
        reasons[testimony.title] = decision.reason
    assert (
        "promotion d'un produit"
        in reasons["Solution clé en main de vente en ligne pour vos marchés"]
    )
    assert "réclamation" in reasons["Mairie fermée, personne ne répond"]
    returned = Testimony.objects.get(consultation=consultation, status=S.CHANGES_REQUESTED)
    assert ModerationDecision.objects.get(testimony=returned).reason.startswith("Merci de")
    assert not ModerationDecision.objects.filter(testimony__status=S.PUBLISHED).exists()


@pytest.mark.django_db
def test_generated_corpora_record_their_decisions_too():
    consultation, _created = demo_consultation_create()
    states = [S.REJECTED, S.DUPLICATE, S.UNPUBLISHED, S.SUBMITTED, S.PUBLISHED]

    testimonies_generate(consultation=consultation, count=5, seed="decisions", statuses=states)

    kinds = dict(
        ModerationDecision.objects.filter(testimony__consultation=consultation).values_list(
            "testimony__status", "kind"
        )
    )
    assert kinds == {
        S.REJECTED: DecisionKind.REJECT,
        S.DUPLICATE: DecisionKind.MARK_DUPLICATE,
        S.UNPUBLISHED: DecisionKind.UNPUBLISH,
    }
    rejection = ModerationDecision.objects.get(kind=DecisionKind.REJECT)
    assert rejection.reason.startswith(("Votre", "Cet appel"))
